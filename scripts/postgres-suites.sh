#!/usr/bin/env bash
# The black-box suites that pass on PostgreSQL, run again there (README: Scale-out on PostgreSQL):
#
#   bash scripts/postgres-suites.sh
#
# GATEWAY_TEST_STORE=postgres makes every TestGateway start on a fresh database of a throwaway PostgreSQL cluster
# (one per test process, copied from a migrated template). The list grows as suites pass on the server; not yet on
# it: ContactAPITests, ExportTests, MediaRetentionTests, RenewalDailyJobTests, RenewalReplyTests, TicketCallTests
# (statements still in SQLite's dialect), and the suites that read the SQLite files themselves. Run after `swift test`
# (it builds nothing new); about eight minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

suites=(
    # AccessTests
    AccessTests.APITokenTests AccessTests.AuditLogTests AccessTests.LoginThrottleTests AccessTests.PerimeterTests
    AccessTests.PersonalDataTests
    AccessTests.PermissionMatrixTests AccessTests.ScopeVisibilityTests AccessTests.SessionTests
    AccessTests.UserAdministrationTests AccessTests.AuditedChangesTests
    # AnalyticsTests
    AnalyticsTests.AnalyticsCSVTests AnalyticsTests.AnalyticsDeskFlowTests AnalyticsTests.AnalyticsFiguresTests
    AnalyticsTests.AnalyticsQueryTests AnalyticsTests.DeskSummaryTests
    # CRMTests
    CRMTests.BadRecordInputTests CRMTests.RecordRESTTests CRMTests.RetentionSchedulerTests
    CRMTests.RoomSlotRepairMigrationTests CRMTests.TicketPayloadAliasTests
    CRMTests.DealCreationTests CRMTests.ManualRecordRoomTests CRMTests.OmnichannelRefreshTests
    CRMTests.RecordLinkDefaultsTests CRMTests.RecordObservabilityTests CRMTests.RoomLatestWinsTests
    CRMTests.TicketCommandTests CRMTests.TimelineTests
    # ConversationsTests
    ConversationsTests.InboundMediaBadInputTests ConversationsTests.InboundMediaTests
    ConversationsTests.KnowledgeBaseTests ConversationsTests.ManualLeadTests ConversationsTests.OnboardingInviteMailTests
    ConversationsTests.TicketArchiveTests ConversationsTests.TicketAssignmentTests
    ConversationsTests.TicketClassifierTests ConversationsTests.TicketEchoTests ConversationsTests.TicketLanguageTests
    ConversationsTests.TicketReplyBadInputTests ConversationsTests.TicketWorkflowBadInputTests
    ConversationsTests.CSATAnswerTests ConversationsTests.CSATFlowTests ConversationsTests.CSATSurveyReplayTests
    ConversationsTests.CannedReplyTests ConversationsTests.LeadCaptureTests ConversationsTests.OnboardingTests
    ConversationsTests.TicketMediaReplyTests ConversationsTests.TicketReplyTests ConversationsTests.TicketSLATests
    ConversationsTests.TicketThreadTests
    # DeliveryTests
    DeliveryTests.InboxLagTests DeliveryTests.AdminOutboundTests
    # IdentityTests
    IdentityTests.KnownBSUIDIdentityTests IdentityTests.IdentityEventRoutingTests
    # IngressTests
    IngressTests.BotRouteSecretsTests IngressTests.BotWebhookTests IngressTests.BotWebhookTimestampLimitTests
    IngressTests.FeatureCompositionTests IngressTests.HeapTrimmerTests IngressTests.MalformedRequestTests
    IngressTests.OneClockTests IngressTests.OpenAPICoverageTests
    IngressTests.SampleInboundSourceTests IngressTests.SlowClientTests IngressTests.WhatsAppWebhookTests
    IngressTests.RetentionRulesTests IngressTests.WhatsAppFieldCoverageTests IngressTests.TicketEventStreamTests
    # MessagingTests
    MessagingTests.WhatsAppAccountHealthTests MessagingTests.WhatsAppMessageAPITests
    MessagingTests.WhatsAppSenderTests MessagingTests.WhatsAppTemplateLoadingTests
    MessagingTests.WhatsAppTemplateStateTests MessagingTests.WhatsAppTextCatalogTests
    MessagingTests.WhatsAppErrorClassificationTests MessagingTests.WhatsAppSendBodyTests MessagingTests.WhatsAppStatusTests
    # RetailTests
    RetailTests.ManualOutletLinkTests RetailTests.OutletChoiceListTests RetailTests.POSAPITests
    RetailTests.POSSyncTests RetailTests.RenewalAPITests RetailTests.RenewalCadenceTests
    RetailTests.RenewalOptOutTests RetailTests.RenewalOutletObserverTests
    RetailTests.RenewalReplyHandlingTests RetailTests.OutletChoiceTests RetailTests.RenewalAttemptCapTests
    RetailTests.RenewalDeliveryTests
)
filter="^($(IFS='|'; echo "${suites[*]}"))/"
GATEWAY_TEST_STORE=postgres swift test --filter "$filter"
