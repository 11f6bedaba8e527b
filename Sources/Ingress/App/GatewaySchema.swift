import Delivery
import GatewayCore
import Storage

/// Every module's migrations, for the store to apply: each module lists its own tables; this is where they meet.
public enum GatewaySchema {
    public static let migrations: [Migration] = DeliverySchema.migrations + CoreSchema.migrations
}
