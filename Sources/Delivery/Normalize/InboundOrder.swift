import GatewayKit
/// A cart the customer sent from the business's catalog (WhatsApp type `order`).
public struct InboundOrder: Sendable, Equatable {
    /// One line of the cart.
    public struct Item: Sendable, Equatable {
        /// The business's own product id (`product_retailer_id`).
        public var productID: String
        public var quantity: Int64
        public var price: Double?
        public var currency: String?

        public init(productID: String, quantity: Int64, price: Double? = nil, currency: String? = nil) {
            (self.productID, self.quantity, self.price, self.currency) = (productID, quantity, price, currency)
        }
    }

    public var catalogID: String?
    /// What the customer wrote with the order.
    public var text: String?
    public var items: [Item]

    public init(catalogID: String? = nil, text: String? = nil, items: [Item] = []) {
        (self.catalogID, self.text, self.items) = (catalogID, text, items)
    }

    /// `{"catalog_id"?, "text"?, "items": [{"product_id", "quantity", "price"?, "currency"?}]}`.
    public func toJSON() -> JSONValue {
        var o: [String: JSONValue] = ["items": .array(items.map { item in
            var line: [String: JSONValue] = ["product_id": .string(item.productID), "quantity": .integer(item.quantity)]
            if let price = item.price { line["price"] = .number(price) }
            line.put("currency", item.currency)
            return .object(line)
        })]
        o.put("catalog_id", catalogID)
        o.put("text", text)
        return .object(o)
    }

    init(reading r: EventJSONReader) throws(InboundEventDecodingError) {
        var items: [Item] = []
        for line in try r.objects("items") {
            items.append(Item(productID: try line.string("product_id"), quantity: try line.int64("quantity"),
                              price: try line.optionalDouble("price"), currency: try line.optionalString("currency")))
        }
        self.init(catalogID: try r.optionalString("catalog_id"), text: try r.optionalString("text"), items: items)
    }
}
