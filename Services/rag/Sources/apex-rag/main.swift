import Rag
import ServiceKit

await ServiceMain.run(.rag, settings: RagSettings.init(environment:), migrations: RagSchema.migrations) {
    try await buildApplication(settings: $0, runtime: $1)
}
