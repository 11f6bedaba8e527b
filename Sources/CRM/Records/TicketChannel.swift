/// Channel names stored in `tickets.channel`.
public enum TicketChannel {
    public static let whatsapp = "whatsapp"
}
