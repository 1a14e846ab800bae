using Webhooks.Bench;
using Webhooks.Bench.Receiver;
using Webhooks.Bench.Worker;

// One executable, three roles: the orchestrator (what ./build.sh bench runs), the receiver process and one worker
// process per scenario. The app under test runs inside the worker, so its CPU and memory are that process's alone.
return args.FirstOrDefault() switch
{
    ReceiverServer.Role => await ReceiverServer.RunAsync(args[1..]),
    WorkerHost.Role => await WorkerHost.RunAsync(args[1..]),
    _ => await Orchestrator.RunAsync(args),
};
