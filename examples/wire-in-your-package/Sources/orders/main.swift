// Builds an order with the types WireProtocPlugin generated from sample/order.proto, encodes
// it, decodes it back, and writes the bytes to the file named by the only argument (so the
// check script can decode them with protoc, an independent implementation).
import Foundation
import Wire

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: orders OUTPUT_FILE\n".utf8))
    exit(2)
}

var price = Sample_Money()
price.currency = "EUR"
price.minorUnits = 1250

var line = Sample_Order.Line()
line.sku = "mug-42"
line.quantity = 3
line.price = price

var order = Sample_Order()
order.id = 7
order.customerEmail = "ada@example.com"
order.lines = [line]
order.placedAt = Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 5)
order.payment = .cardToken("tok_123")
order.labels = ["gift": "yes"]

let bytes = try order.serializedBytes()
let decoded = try Sample_Order(serializedBytes: bytes)
guard decoded == order else {
    FileHandle.standardError.write(Data("orders: the decoded order differs from the encoded one\n".utf8))
    exit(1)
}
try Data(bytes).write(to: URL(fileURLWithPath: CommandLine.arguments[1]))
print("orders: encoded and decoded an order of \(bytes.count) bytes")
