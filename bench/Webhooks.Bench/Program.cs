using Webhooks.Bench;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Scenarios.Engine;
using Webhooks.Bench.Worker;

// One executable, five roles: the orchestrator (what ./build.sh bench runs), the receiver process, one worker process
// per scenario, the app alone in its own process (the backlog scenario's, whose driver is the worker), and a second
// engine process for the engine failover probe. Elsewhere the app under test runs inside the worker, so its CPU and
// memory are that process's alone.
return args.FirstOrDefault() switch
{
    ReceiverServer.Role => await ReceiverServer.RunAsync(args[1..]),
    WorkerHost.Role => await WorkerHost.RunAsync(args[1..]),
    AppHostProcess.Role => await AppHostProcess.RunAsync(args[1..]),
    EngineHostProcess.Role => await EngineHostProcess.RunAsync(args[1..]),
    _ => await Orchestrator.RunAsync(args),
};
