import Runtime

await WorkerMain.run(name: "notifier", defaultPort: 8083) { service, configuration in
    let settings = try NotifierConfiguration.read(configuration.environment)
    return buildNotifier(settings, service: service)
}
