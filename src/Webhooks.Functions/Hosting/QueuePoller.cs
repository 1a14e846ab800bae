using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Webhooks.Functions.Storage;

namespace Webhooks.Functions.Hosting;

/// <summary>
/// Standalone mode's stand-in for the Functions queue trigger: receives messages in batches, runs the handler with
/// bounded concurrency, keeps a long-running message hidden by renewing its visibility, deletes it on success and
/// moves it to <c>&lt;queue&gt;-poison</c> after <see cref="MaxDequeueCount"/> failures (as the host does).
/// When the queue is empty it backs off to one poll every few seconds, so an idle process costs next to nothing,
/// and wakes early for the messages this process sends (<see cref="QueueWakeups"/>).
/// </summary>
internal sealed partial class QueuePoller(
    IQueueHandler handler, StorageAccount storage, QueueWakeups wakeups, TimeProvider time, ILogger<QueuePoller> logger) : BackgroundService
{
    public const int MaxDequeueCount = 5;
    private const int BatchSize = 32;
    private const int MaxConcurrency = 64;
    private static readonly TimeSpan MinPollDelay = TimeSpan.FromMilliseconds(20);
    /// <summary>The longest idle sleep: messages this process sends wake it at once (<see cref="QueueWakeups"/>).</summary>
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromSeconds(5);

    /// <summary>How soon a message whose handler failed is tried again: host.json's queue <c>visibilityTimeout</c>.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _slots = new(MaxConcurrency);

    /// <summary>
    /// How long a received message is hidden at first: <see cref="RetryDelay"/>, not the handler's whole visibility
    /// timeout. A receive whose answer is lost (a connection reset, a timeout) has hidden its messages all the same, and
    /// they come back only when this ends; a handler that runs longer has its message hidden for the full timeout by
    /// <see cref="KeepHiddenAsync"/> half way through this (one more queue operation, for long work only).
    /// </summary>
    private TimeSpan ReceiveVisibility => handler.VisibilityTimeout < RetryDelay ? handler.VisibilityTimeout : RetryDelay;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.Queue(handler.QueueName);
        var poison = storage.PoisonQueue(handler.QueueName);
        var delay = MinPollDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                var free = Math.Min(BatchSize, _slots.CurrentCount);
                if (free == 0)
                {
                    await Task.Delay(MinPollDelay, time, stoppingToken);
                    continue;
                }
                messages = (await queue.ReceiveMessagesAsync(free, ReceiveVisibility, stoppingToken)).Value;
            }
            catch (Exception e) when (stoppingToken.IsCancellationRequested && e is OperationCanceledException or AggregateException)
            {
                // Stopping: the receive in flight was cancelled, however the SDK wrapped it.
                break;
            }
            catch (Exception e) when (StorageUnavailable.Is(e, stoppingToken))
            {
                LogReceiveFailed(logger, handler.QueueName, e.GetBaseException().Message);
                await Task.Delay(MaxPollDelay, time, stoppingToken);
                continue;
            }

            if (messages.Length == 0)
            {
                await wakeups.WaitAsync(handler.QueueName, time.GetUtcNow() + delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(MaxPollDelay.Ticks, delay.Ticks * 2));
                continue;
            }
            delay = MinPollDelay;
            foreach (var message in messages)
            {
                await _slots.WaitAsync(stoppingToken);
                _ = Task.Run(() => ProcessAsync(queue, poison, message, stoppingToken), CancellationToken.None);
            }
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        var receipt = new PopReceiptHolder(message.PopReceipt);
        try
        {
            if (message.DequeueCount > MaxDequeueCount)
            {
                await poison.SendMessageAsync(message.MessageText, cancellationToken: stoppingToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
                LogPoisoned(logger, handler.QueueName, message.MessageId, message.DequeueCount);
                return;
            }
            using var renewal = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var keepHidden = KeepHiddenAsync(queue, message.MessageId, receipt, renewal.Token);
            try
            {
                await handler.HandleAsync(QueueWork.From(message), stoppingToken);
            }
            finally
            {
                await renewal.CancelAsync();
                await keepHidden;
            }
            await queue.DeleteMessageAsync(message.MessageId, receipt.Value, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the message comes back after its visibility timeout.
        }
        catch (Exception e)
        {
            LogHandlerFailed(logger, e, handler.QueueName, message.MessageId, message.DequeueCount);
            await RetryLaterAsync(queue, message.MessageId, receipt);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// A failed message is tried again after <see cref="RetryDelay"/>, as the Functions host does (host.json's queue
    /// <c>visibilityTimeout</c>), not after the whole visibility timeout a long job needs (5 minutes for a job chunk).
    /// If even that update fails, the message still comes back, only later.
    /// </summary>
    private async Task RetryLaterAsync(QueueClient queue, string messageId, PopReceiptHolder receipt)
    {
        try
        {
            await queue.UpdateMessageAsync(messageId, receipt.Value, visibilityTimeout: RetryDelay, cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException e)
        {
            LogRenewFailed(logger, handler.QueueName, messageId, e.Message);
        }
    }

    /// <summary>
    /// Renews the message's invisibility for as long as the handler runs: half way through <see cref="ReceiveVisibility"/>,
    /// then at half the handler's timeout.
    /// </summary>
    private async Task KeepHiddenAsync(QueueClient queue, string messageId, PopReceiptHolder receipt, CancellationToken cancellationToken)
    {
        var interval = ReceiveVisibility / 2;
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, cancellationToken);
                var updated = await queue.UpdateMessageAsync(messageId, receipt.Value, visibilityTimeout: handler.VisibilityTimeout, cancellationToken: cancellationToken);
                receipt.Value = updated.Value.PopReceipt;
                interval = handler.VisibilityTimeout / 2;
            }
        }
        catch (OperationCanceledException)
        {
            // The handler finished.
        }
        catch (RequestFailedException e)
        {
            LogRenewFailed(logger, handler.QueueName, messageId, e.Message);
        }
    }

    private sealed class PopReceiptHolder(string value)
    {
        public string Value { get; set; } = value;
    }

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiving from queue {Queue} failed: {Reason}")]
    private static partial void LogReceiveFailed(ILogger logger, string queue, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} message {MessageId} failed on try {DequeueCount}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string queue, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} message {MessageId} moved to the poison queue after {DequeueCount} tries")]
    private static partial void LogPoisoned(ILogger logger, string queue, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not keep queue {Queue} message {MessageId} hidden: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string queue, string messageId, string reason);
}
