import Memory
import ServiceKit

await ServiceMain.run(.memory, settings: MemorySettings.init(environment:), migrations: MemorySchema.migrations, build: buildApplication)
