import Jobs
import Runtime

await WorkerMain.run(name: "approval-router", defaultPort: 8081) { service, _ in
    WorkerMain.Parts(workers: [service.worker(queue: StepDecidedJob.queue, handlers: RoutingHandler.all)])
}
