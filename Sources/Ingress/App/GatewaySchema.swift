import Access
import Analytics
import Campaigns
import CRM
import Conversations
import Delivery
import Identity
import Messaging
import Retail
import Segments
import Storage

/// Every module's migrations, for the store to apply: each module lists its own tables; this is where they meet.
public enum GatewaySchema {
    public static let migrations: [Migration] = DeliverySchema.migrations + AccessSchema.migrations
        + IdentitySchema.migrations
        + CRMSchema.migrations + MessagingSchema.migrations + ConversationsSchema.migrations + RetailSchema.migrations
        + SegmentsSchema.migrations + CampaignsSchema.migrations + AnalyticsSchema.migrations
}
