using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.DurableTask.Worker.Grpc;
using Webhooks.Functions.Delivery;
using P = Microsoft.DurableTask.Protobuf;

namespace Webhooks.Functions.Tests.Delivery;

/// <summary>
/// The delivery orchestration as the isolated worker runs it in Azure: an encoded history in, through
/// <see cref="GrpcOrchestrationRunner.LoadAndRun(string, Microsoft.DurableTask.ITaskOrchestrator, IServiceProvider?)"/>,
/// the encoded actions out. Each test is one step of a three-attempt delivery, replaying the steps before it, so what is
/// asserted is what the Durable host is told to do next: the attempt to schedule, the timer to create, the result.
/// </summary>
public sealed class DeliverWebhookReplayTests
{
    private const string Partition = "team_replay";
    private const string DeliveryId = "dlv_replay";

    /// <summary>
    /// The orchestration's input as the worker's client writes it: the Functions worker serializer (System.Text.Json,
    /// no naming policy) keeps the record's property names.
    /// </summary>
    private const string InputJson = """{"Partition":"team_replay","DeliveryId":"dlv_replay","MaxAttempts":3}""";

    private static readonly DateTime Started = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime FirstRetryDue = Started.AddSeconds(2);
    private static readonly DateTime SecondRetryDue = Started.AddSeconds(6);

    [Fact]
    public void FirstRun_SchedulesAttemptOne()
    {
        var response = Run(past: [], next: [OrchestratorStarted(Started), ExecutionStarted(Started)]);

        var action = Assert.Single(response.Actions);
        AssertScheduledAttempt(action, expectedId: 0, expectedAttempt: 1);
        Assert.Equal("1/3", CustomStatus(response));
    }

    [Fact]
    public void AttemptOneFailed_CreatesTimerAtNextAttemptAt()
    {
        var response = Run(
            past: FirstEpisode(),
            next:
            [
                OrchestratorStarted(Started.AddSeconds(1)),
                TaskCompleted(0, Started.AddSeconds(1), Pending("1/3", nextAttempt: 2, FirstRetryDue)),
            ]);

        var action = Assert.Single(response.Actions);
        Assert.Equal(P.OrchestratorAction.OrchestratorActionTypeOneofCase.CreateTimer, action.OrchestratorActionTypeCase);
        Assert.Equal(1, action.Id);
        Assert.Equal(FirstRetryDue + DeliverWebhookOrchestrator.EarlyTimerMargin, action.CreateTimer.FireAt.ToDateTime());
        Assert.Equal("1/3", CustomStatus(response));
    }

    [Fact]
    public void TimerFired_SchedulesAttemptTwo()
    {
        var response = Run(
            past: [.. FirstEpisode(), .. AttemptOneFailedEpisode()],
            next: [OrchestratorStarted(FirstRetryDue.AddMilliseconds(100)), TimerFired(1, FirstRetryDue.AddMilliseconds(100), FirstRetryDue)]);

        var action = Assert.Single(response.Actions);
        AssertScheduledAttempt(action, expectedId: 2, expectedAttempt: 2);
        Assert.Equal("2/3", CustomStatus(response));
    }

    [Fact]
    public void LastAttemptFailed_SchedulesTheExhaustedActivity()
    {
        var response = Run(past: ThroughLastAttemptScheduled(), next: LastAttemptFailedEpisode());

        var action = Assert.Single(response.Actions);
        Assert.Equal(P.OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask, action.OrchestratorActionTypeCase);
        Assert.Equal(DeliveryExhaustedActivity.Name, action.ScheduleTask.Name);
        Assert.Equal(5, action.Id);
        Assert.Equal("3/3", CustomStatus(response));
    }

    [Fact]
    public void ExhaustedActivityDone_CompletesWithFailed()
    {
        var at = SecondRetryDue.AddSeconds(2);
        var response = Run(
            past:
            [
                .. ThroughLastAttemptScheduled(),
                .. LastAttemptFailedEpisode(),
                new P.HistoryEvent
                {
                    EventId = 5,
                    Timestamp = Timestamp.FromDateTime(at),
                    TaskScheduled = new P.TaskScheduledEvent
                    {
                        Name = DeliveryExhaustedActivity.Name,
                        Input = JsonSerializer.Serialize(new[] { new AttemptRequest(Partition, DeliveryId, 3) }),
                    },
                },
                OrchestratorCompleted(at),
            ],
            next:
            [
                OrchestratorStarted(at.AddSeconds(1)),
                new P.HistoryEvent
                {
                    EventId = -1,
                    Timestamp = Timestamp.FromDateTime(at.AddSeconds(1)),
                    TaskCompleted = new P.TaskCompletedEvent { TaskScheduledId = 5, Result = "true" },
                },
            ]);

        var action = Assert.Single(response.Actions);
        Assert.Equal(P.OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration, action.OrchestratorActionTypeCase);
        Assert.Equal(P.OrchestrationStatus.Completed, action.CompleteOrchestration.OrchestrationStatus);
        Assert.Equal(DeliveryStatus.Failed, JsonSerializer.Deserialize<string>(action.CompleteOrchestration.Result));
        Assert.Equal("3/3", CustomStatus(response));
    }

    [Fact]
    public void Parked_CompletesWithoutTheExhaustedActivity()
    {
        var response = Run(
            past: FirstEpisode(),
            next:
            [
                OrchestratorStarted(Started.AddSeconds(1)),
                TaskCompleted(0, Started.AddSeconds(1), new AttemptReport(DeliveryStatus.Parked, "1/3", 1, null)),
            ]);

        var action = Assert.Single(response.Actions);
        Assert.Equal(P.OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration, action.OrchestratorActionTypeCase);
        Assert.Equal(DeliveryStatus.Parked, JsonSerializer.Deserialize<string>(action.CompleteOrchestration.Result));
    }

    /// <summary>The history of a three-attempt delivery up to its last attempt's scheduling, both retries failed.</summary>
    private static P.HistoryEvent[] ThroughLastAttemptScheduled()
    {
        var lastAttemptAt = SecondRetryDue.AddMilliseconds(100);
        var attemptTwoAt = FirstRetryDue.AddMilliseconds(100);
        return
        [
            .. FirstEpisode(),
            .. AttemptOneFailedEpisode(),
            OrchestratorStarted(attemptTwoAt),
            TimerFired(1, attemptTwoAt, FirstRetryDue),
            TaskScheduled(2, attemptTwoAt, attempt: 2),
            OrchestratorCompleted(attemptTwoAt),
            OrchestratorStarted(attemptTwoAt.AddSeconds(1)),
            TaskCompleted(2, attemptTwoAt.AddSeconds(1), Pending("2/3", nextAttempt: 3, SecondRetryDue)),
            TimerCreated(3, attemptTwoAt.AddSeconds(1), SecondRetryDue + DeliverWebhookOrchestrator.EarlyTimerMargin),
            OrchestratorCompleted(attemptTwoAt.AddSeconds(1)),
            OrchestratorStarted(lastAttemptAt),
            TimerFired(3, lastAttemptAt, SecondRetryDue),
            TaskScheduled(4, lastAttemptAt, attempt: 3),
            OrchestratorCompleted(lastAttemptAt),
        ];
    }

    private static P.HistoryEvent[] LastAttemptFailedEpisode() =>
    [
        OrchestratorStarted(SecondRetryDue.AddSeconds(1)),
        TaskCompleted(4, SecondRetryDue.AddSeconds(1), new AttemptReport(DeliveryStatus.Failed, "3/3", 4, null)),
    ];

    [Fact]
    public void TimerFiredEarly_SchedulesTheAttempt_TheMarginCoveredIt()
    {
        // The timer was set a margin after the due time, so even a timer the backend fires a second early comes after
        // the due time; what the episode does never depends on its own clock (a re-run after a crash has another).
        var early = FirstRetryDue.AddMilliseconds(-600);
        var response = Run(
            past: [.. FirstEpisode(), .. AttemptOneFailedEpisode()],
            next: [OrchestratorStarted(early), TimerFired(1, early, FirstRetryDue + DeliverWebhookOrchestrator.EarlyTimerMargin)]);

        AssertScheduledAttempt(Assert.Single(response.Actions), expectedId: 2, expectedAttempt: 2);
    }

    [Fact]
    public void AttemptActivityFailed_PausesOnATimer_InsteadOfFailingTheDelivery()
    {
        var failedAt = Started.AddSeconds(1);
        var response = Run(
            past: FirstEpisode(),
            next: [OrchestratorStarted(failedAt), TaskFailed(0, failedAt, "The table service did not answer within 10 s.")]);

        var action = Assert.Single(response.Actions);
        Assert.Equal(P.OrchestratorAction.OrchestratorActionTypeOneofCase.CreateTimer, action.OrchestratorActionTypeCase);
        Assert.Equal(1, action.Id);
        Assert.Equal(failedAt + DeliverWebhookOrchestrator.FirstPauseAfterFailure, action.CreateTimer.FireAt.ToDateTime());
        Assert.Equal("1/3", CustomStatus(response));
    }

    [Fact]
    public void PauseAfterFailureEnded_RunsTheSameAttemptAgain()
    {
        var failedAt = Started.AddSeconds(1);
        var pauseEnds = failedAt + DeliverWebhookOrchestrator.FirstPauseAfterFailure;
        var response = Run(
            past:
            [
                .. FirstEpisode(),
                OrchestratorStarted(failedAt),
                TaskFailed(0, failedAt, "The table service did not answer within 10 s."),
                TimerCreated(1, failedAt, pauseEnds),
                OrchestratorCompleted(failedAt),
            ],
            next: [OrchestratorStarted(pauseEnds), TimerFired(1, pauseEnds, pauseEnds)]);

        var action = Assert.Single(response.Actions);
        AssertScheduledAttempt(action, expectedId: 2, expectedAttempt: 1);
        Assert.Equal("1/3", CustomStatus(response));
    }

    [Fact]
    public void RepeatedActivityFailures_PauseLongerEachTime_ThenContinueInAFreshHistory()
    {
        var past = new List<P.HistoryEvent>(FirstEpisode());
        var at = Started;
        var pauses = new List<int>();
        var scheduledId = 0;
        P.OrchestratorResponse? afterLastPause = null;
        for (var failure = 1; failure <= DeliverWebhookOrchestrator.FailuresBeforeFreshHistory; failure++)
        {
            at = at.AddSeconds(1);
            var failed = new[] { OrchestratorStarted(at), TaskFailed(scheduledId, at, "storage unavailable") };
            var timer = Assert.Single(Run(past, failed).Actions);
            Assert.Equal(P.OrchestratorAction.OrchestratorActionTypeOneofCase.CreateTimer, timer.OrchestratorActionTypeCase);
            var fireAt = timer.CreateTimer.FireAt.ToDateTime();
            pauses.Add((int)(fireAt - at).TotalSeconds);
            past.AddRange([.. failed, TimerCreated(scheduledId + 1, at, fireAt), OrchestratorCompleted(at)]);

            var fired = new[] { OrchestratorStarted(fireAt), TimerFired(scheduledId + 1, fireAt, fireAt) };
            var next = Run(past, fired);
            if (failure == DeliverWebhookOrchestrator.FailuresBeforeFreshHistory)
            {
                afterLastPause = next;
                break;
            }
            AssertScheduledAttempt(Assert.Single(next.Actions), expectedId: scheduledId + 2, expectedAttempt: 1);
            past.AddRange([.. fired, TaskScheduled(scheduledId + 2, fireAt, attempt: 1), OrchestratorCompleted(fireAt)]);
            at = fireAt;
            scheduledId += 2;
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], pauses.Take(8));
        Assert.All(pauses.Skip(6), p => Assert.Equal(60, p));
        var action = Assert.Single(afterLastPause!.Actions);
        Assert.Equal(P.OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration, action.OrchestratorActionTypeCase);
        Assert.Equal(P.OrchestrationStatus.ContinuedAsNew, action.CompleteOrchestration.OrchestrationStatus);
        Assert.Equal(JsonSerializer.Deserialize<JsonElement>(InputJson).ToString(),
            JsonSerializer.Deserialize<JsonElement>(action.CompleteOrchestration.Result).ToString());
    }

    /// <summary>Started, attempt 1 scheduled.</summary>
    private static P.HistoryEvent[] FirstEpisode() =>
    [
        OrchestratorStarted(Started),
        ExecutionStarted(Started),
        TaskScheduled(0, Started, attempt: 1),
        OrchestratorCompleted(Started),
    ];

    /// <summary>Attempt 1 recorded as failed with attempt 2 due at <see cref="FirstRetryDue"/>; the timer created.</summary>
    private static P.HistoryEvent[] AttemptOneFailedEpisode() =>
    [
        OrchestratorStarted(Started.AddSeconds(1)),
        TaskCompleted(0, Started.AddSeconds(1), Pending("1/3", nextAttempt: 2, FirstRetryDue)),
        TimerCreated(1, Started.AddSeconds(1), FirstRetryDue + DeliverWebhookOrchestrator.EarlyTimerMargin),
        OrchestratorCompleted(Started.AddSeconds(1)),
    ];

    private static AttemptReport Pending(string attempt, int nextAttempt, DateTime due) =>
        new(DeliveryStatus.Pending, attempt, nextAttempt, new DateTimeOffset(due));

    private static P.OrchestratorResponse Run(IEnumerable<P.HistoryEvent> past, IEnumerable<P.HistoryEvent> next)
    {
        var request = new P.OrchestratorRequest { InstanceId = DeliveryId };
        request.PastEvents.AddRange(past);
        request.NewEvents.AddRange(next);
        var encoded = GrpcOrchestrationRunner.LoadAndRun(request.ToByteString().ToBase64(), new DeliverWebhookOrchestrator());
        var response = P.OrchestratorResponse.Parser.ParseFrom(ByteString.FromBase64(encoded));
        Assert.Equal(DeliveryId, response.InstanceId);
        return response;
    }

    private static void AssertScheduledAttempt(P.OrchestratorAction action, int expectedId, int expectedAttempt)
    {
        Assert.Equal(P.OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask, action.OrchestratorActionTypeCase);
        Assert.Equal(expectedId, action.Id);
        Assert.Equal(DeliveryAttemptActivity.Name, action.ScheduleTask.Name);
        // DurableTask.Core schedules an activity with its inputs as a parameter array, which the activity side unwraps.
        var request = Assert.Single(JsonSerializer.Deserialize<AttemptRequest[]>(action.ScheduleTask.Input)!);
        Assert.Equal(new AttemptRequest(Partition, DeliveryId, expectedAttempt), request);
    }

    private static string? CustomStatus(P.OrchestratorResponse response) =>
        response.CustomStatus is null ? null : JsonSerializer.Deserialize<string>(response.CustomStatus);

    private static P.HistoryEvent OrchestratorStarted(DateTime at) =>
        new() { EventId = -1, Timestamp = Timestamp.FromDateTime(at), OrchestratorStarted = new P.OrchestratorStartedEvent() };

    private static P.HistoryEvent OrchestratorCompleted(DateTime at) =>
        new() { EventId = -1, Timestamp = Timestamp.FromDateTime(at), OrchestratorCompleted = new P.OrchestratorCompletedEvent() };

    private static P.HistoryEvent ExecutionStarted(DateTime at) => new()
    {
        EventId = -1,
        Timestamp = Timestamp.FromDateTime(at),
        ExecutionStarted = new P.ExecutionStartedEvent
        {
            Name = DeliverWebhookOrchestrator.Name,
            Input = InputJson,
            OrchestrationInstance = new P.OrchestrationInstance { InstanceId = DeliveryId, ExecutionId = "execution-1" },
        },
    };

    private static P.HistoryEvent TaskScheduled(int id, DateTime at, int attempt) => new()
    {
        EventId = id,
        Timestamp = Timestamp.FromDateTime(at),
        TaskScheduled = new P.TaskScheduledEvent
        {
            Name = DeliveryAttemptActivity.Name,
            Input = JsonSerializer.Serialize(new[] { new AttemptRequest(Partition, DeliveryId, attempt) }),
        },
    };

    private static P.HistoryEvent TaskCompleted(int scheduledId, DateTime at, AttemptReport report) => new()
    {
        EventId = -1,
        Timestamp = Timestamp.FromDateTime(at),
        TaskCompleted = new P.TaskCompletedEvent { TaskScheduledId = scheduledId, Result = JsonSerializer.Serialize(report) },
    };

    private static P.HistoryEvent TaskFailed(int scheduledId, DateTime at, string message) => new()
    {
        EventId = -1,
        Timestamp = Timestamp.FromDateTime(at),
        TaskFailed = new P.TaskFailedEvent
        {
            TaskScheduledId = scheduledId,
            FailureDetails = new P.TaskFailureDetails { ErrorType = "Azure.RequestFailedException", ErrorMessage = message },
        },
    };

    private static P.HistoryEvent TimerCreated(int id, DateTime at, DateTime fireAt) => new()
    {
        EventId = id,
        Timestamp = Timestamp.FromDateTime(at),
        TimerCreated = new P.TimerCreatedEvent { FireAt = Timestamp.FromDateTime(fireAt) },
    };

    private static P.HistoryEvent TimerFired(int timerId, DateTime at, DateTime fireAt) => new()
    {
        EventId = -1,
        Timestamp = Timestamp.FromDateTime(at),
        TimerFired = new P.TimerFiredEvent { TimerId = timerId, FireAt = Timestamp.FromDateTime(fireAt) },
    };
}
