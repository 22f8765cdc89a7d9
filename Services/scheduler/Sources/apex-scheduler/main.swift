import Scheduler
import ServiceKit

await ServiceMain.run(
    .scheduler, settings: SchedulerSettings.init(environment:), migrations: SchedulerSchema.migrations, build: buildApplication)
