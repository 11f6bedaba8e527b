import Configuration
import GatewayKit

/// The operator console: the web app agents, sales, renewal staff and admins work in, served by the gateway itself
/// at `/console` from the files in `console.directory`, on the `/v1` API and the session sign-in.
struct ConsoleFeature: Feature {
    private let files: ConsoleFiles
    private let setup: FirstRunSetup

    init(_ context: FeatureContext) {
        files = ConsoleFiles(directory: context.config.console.directory)
        setup = FirstRunSetup(context)
        if files.index == nil {
            context.log.warning("console_not_installed", ["directory": files.directory])
        }
    }

    func registerRoutes(in router: inout Router, _ context: RouteContext) {
        ConsoleRoutes(files: files).register(in: &router)
        SetupRoutes(setup: setup).register(in: &router)
    }
}
