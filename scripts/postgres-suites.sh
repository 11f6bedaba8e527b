#!/usr/bin/env bash
# The black-box suites that pass on PostgreSQL, run again there (README: Scale-out on PostgreSQL):
#
#   bash scripts/postgres-suites.sh
#
# GATEWAY_TEST_STORE=postgres makes every TestGateway start on a fresh database of a throwaway PostgreSQL cluster (one
# per test process, copied from a migrated template). Listed: every suite that starts a TestGateway on the configured
# engine, in one process. Left out: IdentityReplayTests and InboxBrowserTests, which pass there but feed 20,000
# deliveries and 10,000 new customers' messages (about 80 and 70 seconds on the server against 15 and 12 on SQLite);
# the Firefox and WebKit browser tests (what they add is the browser engine, not the store); and suites whose gateway
# does not follow GATEWAY_TEST_STORE (the `gateway` program on a file of its own, the SQLite test stores, the cluster
# tests that start their own instances on the server in every run). A test that reads SQLite files skips itself here.
# Run after `swift test` (it builds nothing new); about seven minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

suites=(
    # AccessTests
    AccessTests.APITokenTests AccessTests.AuditLogTests AccessTests.AuditedChangesTests
    AccessTests.LoginThrottleTests AccessTests.PerimeterTests AccessTests.PersonalDataTests
    AccessTests.PermissionMatrixTests AccessTests.ScopeVisibilityTests AccessTests.SessionTests
    AccessTests.UserAdministrationTests
    # AnalyticsTests
    AnalyticsTests.AnalyticsCSVTests AnalyticsTests.AnalyticsDeskFlowTests AnalyticsTests.AnalyticsFiguresTests
    AnalyticsTests.AnalyticsMarkTests AnalyticsTests.AnalyticsQueryTests AnalyticsTests.DeskSummaryTests
    # CRMTests
    CRMTests.BadRecordInputTests CRMTests.DealCreationTests CRMTests.ManualRecordRoomTests
    CRMTests.OmnichannelRefreshTests CRMTests.RecordLinkDefaultsTests CRMTests.RecordObservabilityTests
    CRMTests.RecordRESTTests CRMTests.RetentionSchedulerTests CRMTests.RoomLatestWinsTests
    CRMTests.RoomSlotRepairMigrationTests CRMTests.TicketCommandTests CRMTests.TicketPayloadAliasTests
    CRMTests.TimelineTests
    # ConsoleTests
    ConsoleTests.AnalyticsBrowserTests ConsoleTests.CampaignCancelBrowserTests ConsoleTests.ConsoleInsightAddressesTests
    ConsoleTests.ConsoleServingTests ConsoleTests.ContactBrowserTests ConsoleTests.DemoCommandTests
    ConsoleTests.InboxDeskBrowserTests ConsoleTests.LiveUpdatesBrowserTests ConsoleTests.OperationsBrowserTests ConsoleTests.PageAccessibilityBrowserTests
    ConsoleTests.SegmentsBrowserTests ConsoleTests.SessionBrowserTests ConsoleTests.TicketBrowserTests
    ConsoleTests.TicketDeskBrowserTests ConsoleTests.UsersBrowserTests
    # ConversationsTests
    ConversationsTests.CSATAnswerTests ConversationsTests.CSATFlowTests ConversationsTests.CSATReportTests
    ConversationsTests.CSATSurveyReplayTests ConversationsTests.CannedReplyTests
    ConversationsTests.ConversationTicketTests ConversationsTests.InboundMediaBadInputTests
    ConversationsTests.InboundMediaTests ConversationsTests.KnowledgeBaseTests ConversationsTests.LeadCaptureTests
    ConversationsTests.ManualLeadTests ConversationsTests.MediaRetentionTests
    ConversationsTests.OnboardingInviteMailTests ConversationsTests.OnboardingInviteTests
    ConversationsTests.OnboardingTests ConversationsTests.TicketArchiveTests
    ConversationsTests.TicketAssignmentTests ConversationsTests.TicketBulkAssignmentTests
    ConversationsTests.TicketCallTests ConversationsTests.TicketClassifierTests
    ConversationsTests.TicketCollisionTests ConversationsTests.TicketEchoTests
    ConversationsTests.TicketInboxFilterTests ConversationsTests.TicketLanguageTests
    ConversationsTests.TicketMediaReplyTests ConversationsTests.TicketReplyBadInputTests
    ConversationsTests.TicketReplyTests ConversationsTests.TicketSLATests ConversationsTests.TicketThreadTests
    ConversationsTests.TicketWorkflowBadInputTests ConversationsTests.TicketWorkflowTests
    # DeliveryTests
    DeliveryTests.AdminOutboundTests DeliveryTests.InboxLagTests
    # IdentityTests
    IdentityTests.ContactAPITests IdentityTests.DuplicateCustomerTests IdentityTests.IdentityEventRoutingTests
    IdentityTests.KnownBSUIDIdentityTests
    # IngressTests
    IngressTests.BotRouteSecretsTests IngressTests.BotWebhookTests IngressTests.BotWebhookTimestampLimitTests
    IngressTests.ExportTests IngressTests.FeatureCompositionTests IngressTests.HTTPSurfaceTests
    IngressTests.HeapTrimmerTests IngressTests.MalformedRequestTests IngressTests.OneClockTests
    IngressTests.OpenAPICoverageTests IngressTests.ReadinessTests IngressTests.RetentionRulesTests
    IngressTests.SampleInboundSourceTests IngressTests.SlowClientTests IngressTests.TicketEventStreamTests
    IngressTests.WhatsAppFieldCoverageTests IngressTests.WhatsAppWebhookTests
    # MessagingTests
    MessagingTests.MarketingConsentTests MessagingTests.WhatsAppAccountHealthTests
    MessagingTests.WhatsAppErrorClassificationTests MessagingTests.WhatsAppMessageAPITests
    MessagingTests.WhatsAppMessageDetailsTests MessagingTests.WhatsAppSendBodyTests
    MessagingTests.WhatsAppSenderTests MessagingTests.WhatsAppStatusTests
    MessagingTests.WhatsAppTemplateLoadingTests MessagingTests.WhatsAppTemplateStateTests
    MessagingTests.WhatsAppTextCatalogTests
    # RetailTests
    RetailTests.ManualOutletLinkTests RetailTests.OutletChoiceListTests RetailTests.OutletChoiceTests
    RetailTests.POSAPITests RetailTests.POSSyncTests RetailTests.RenewalAPITests RetailTests.RenewalAttemptCapTests
    RetailTests.RenewalCadenceTests RetailTests.RenewalDailyJobTests RetailTests.RenewalDeliveryTests
    RetailTests.RenewalOptOutInConversationTests RetailTests.RenewalOptOutTests
    RetailTests.RenewalOutletObserverTests RetailTests.RenewalReplyHandlingTests RetailTests.RenewalReplyTests
    RetailTests.RenewalSimulationTests RetailTests.TicketOutletResolutionTests
    # SegmentsTests
    SegmentsTests.ContactFieldCSVImportTests SegmentsTests.ContactFieldSegmentTests
    SegmentsTests.DefaultContactFieldTests SegmentsTests.SegmentCampaignTests
    SegmentsTests.SegmentConversationFieldTests SegmentsTests.SegmentEvaluationTests SegmentsTests.SegmentEventTests
    SegmentsTests.SegmentNightlyTests SegmentsTests.SegmentOwnershipTests SegmentsTests.SegmentPerformanceTests
    SegmentsTests.SegmentRecordFieldTests
)
filter="^($(IFS='|'; echo "${suites[*]}"))/"
GATEWAY_TEST_STORE=postgres swift test --filter "$filter"
