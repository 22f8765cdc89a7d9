import Rag
import ServiceKit

await ServiceMain.run(.rag, settings: RagSettings.init(environment:), migrations: RagSchema.migrations, build: buildApplication)
