// Uses the code WireProtocPlugin generated from Sources/orders/sample/*.proto: builds an order,
// places it through the generated OrderDesk client with a server on 127.0.0.1, decodes its own
// encoding back, and writes the bytes to the file named by the only argument (so the check
// script can decode them with protoc, an independent implementation).
import Foundation
import RPC
import Wire

struct OrderDesk: Sample_OrderDesk.ServiceProtocol {
    func place(_ request: Sample_Order, context: ServerContext) async throws -> Sample_Receipt {
        var receipt = Sample_Receipt()
        receipt.orderID = request.id
        receipt.totalMinorUnits = request.lines.reduce(0) { $0 + Int64($1.quantity) * $1.price.minorUnits }
        return receipt
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("orders: \(message)\n".utf8))
    exit(1)
}

guard CommandLine.arguments.count == 2 else { fail("usage: orders OUTPUT_FILE") }

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
guard try Sample_Order(serializedBytes: bytes) == order else { fail("the decoded order differs from the encoded one") }
try Data(bytes).write(to: URL(fileURLWithPath: CommandLine.arguments[1]))
print("orders: encoded and decoded an order of \(bytes.count) bytes")

let server = Server(configuration: .init(address: .ipv4(host: "127.0.0.1", port: 0)), services: [OrderDesk()])
guard case .ipv4(_, let port) = try await server.start() else { fail("the server is not on IPv4") }
let channel = try Channel(configuration: .init(target: .ipv4(host: "127.0.0.1", port: port)))
let placed: Result<Sample_Receipt, any Error>
do {
    placed = .success(try await Sample_OrderDesk.Client(channel: channel)
        .place(order, options: CallOptions(timeout: .seconds(10))).message)
} catch {
    placed = .failure(error)
}
await channel.close()
await server.shutdown()
switch placed {
case .success(let receipt): print("orders: placed order \(receipt.orderID), total \(receipt.totalMinorUnits)")
case .failure(let error): fail("placing the order failed: \(error)")
}
