import Gateway
import ServiceKit

await ServiceMain.run(
    .gateway, settings: GatewaySettings.init(environment:), migrations: GatewaySchema.migrations,
    build: { try await buildApplication(settings: $0, runtime: $1) })
