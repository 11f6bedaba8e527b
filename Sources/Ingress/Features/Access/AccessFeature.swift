import Access
import Configuration
import Delivery

/// Users, API tokens, console sessions and the audit log: the credentials the access gate checks and the routes that
/// manage them.
struct AccessFeature: Feature {
    /// Works out callers for the access gate; told to forget cached tokens when a token or user changes.
    let authenticator: Authenticator
    private let users: UserAccounts
    private let tokens: APITokens
    private let signIn: SignIn
    private let context: FeatureContext

    init(_ context: FeatureContext) {
        self.context = context
        let database = context.store.database
        let authenticator = Authenticator(database: database, bootstrapToken: context.config.adminToken,
                                          settings: context.config.access)
        self.authenticator = authenticator
        users = UserAccounts(database: database, passwordIterations: context.config.access.passwordIterations,
                             changed: { authenticator.forget() })
        tokens = APITokens(database: database, changed: { authenticator.forget() })
        signIn = SignIn(database: database, settings: context.config.access,
                        throttle: LoginThrottle(settings: context.config.access))
    }

    func registerRoutes(in router: inout Router, _ routes: RouteContext) {
        let settings = context.config.access
        let secure = settings.secureCookies || context.config.server.tlsEnabled
        SessionRoutes(signIn: signIn, cookie: SessionCookie(secure: secure,
                                                            lifetimeMilliseconds: settings.sessionLifetimeMilliseconds),
                      clock: context.clock).register(in: &router)
        UserRoutes(users: users, clock: context.clock).register(in: &router)
        TokenRoutes(tokens: tokens, clock: context.clock).register(in: &router)
        AuditRoutes(log: AuditLog(database: context.store.database), clock: context.clock).register(in: &router)
    }
}
