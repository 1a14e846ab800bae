using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiver.Tests.Support;

namespace Webhooks.Receiver.Tests.Endpoints;

[Collection(AzuriteCollection.Name)]
public sealed class MapWebhookTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly Uri Hooks = new("/hooks", UriKind.Relative);

    // Signing and verifying share this clock; tests move it to age a delivery.
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());

    private readonly ConcurrentQueue<WebhookContext> _handled = new();
    private Func<WebhookContext, Task> _behaviour = _ => Task.CompletedTask;
    private ReceiverHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ReceiverHost.StartAsync(_time, app => app.MapWebhook("/hooks", Handle, o => o.Secrets.Add(TestSecrets.Current)));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Post_ValidDelivery_InvokesHandlerOnceAndAnswers200()
    {
        var delivery = NewDelivery();

        using var response = await _host.Client.SendAsync(delivery.ToRequest(Hooks));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = await ReadAckAsync(response);
        Assert.Equal(delivery.EventId, ack.GetProperty("event_id").GetString());
        Assert.False(ack.GetProperty("duplicate").GetBoolean());
        var handled = Assert.Single(_handled);
        Assert.Equal(delivery.EventId, handled.Envelope.Id);
        Assert.Equal(3, handled.Envelope.GetBatch().ItemsTotal);
        Assert.Equal(delivery.Headers[WebhookHeaders.DeliveryId], handled.DeliveryId);
        Assert.Equal("1/5", handled.Attempt);
        Assert.Equal(WebhookSignatureScheme.StandardWebhooks, handled.Verification.Scheme);
    }

    [Fact]
    public async Task Post_SameEventAgainWithNewDeliveryAndTimestamp_Answers200DuplicateWithoutHandler()
    {
        var eventId = TestEnvelopes.NewEventId();
        var first = SignedDelivery.Create(TestEnvelopes.Batch(eventId), eventId, _time.GetUtcNow(), TestSecrets.Current);
        using var firstResponse = await _host.Client.SendAsync(first.ToRequest(Hooks));
        _time.Advance(TimeSpan.FromMinutes(2));
        var redelivery = SignedDelivery.Create(TestEnvelopes.Batch(eventId, 1737570120000), eventId, _time.GetUtcNow(), TestSecrets.Current);

        using var response = await _host.Client.SendAsync(redelivery.ToRequest(Hooks));

        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await ReadAckAsync(response)).GetProperty("duplicate").GetBoolean());
        Assert.Single(_handled);
    }

    [Fact]
    public async Task Post_TamperedBody_Answers401WithoutHandler()
    {
        var delivery = NewDelivery();

        using var response = await _host.Client.SendAsync(
            delivery.ToRequest(Hooks, delivery.Body.Replace("\"items_failed\":1", "\"items_failed\":0", StringComparison.Ordinal)));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, nameof(WebhookVerificationFailure.InvalidSignature));
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task Post_NoSignatureHeaders_Answers401MissingHeader()
    {
        var delivery = NewDelivery().Without(WebhookHeaders.Signature, WebhookHeaders.HexSignature);

        using var response = await _host.Client.SendAsync(delivery.ToRequest(Hooks));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, nameof(WebhookVerificationFailure.MissingHeader));
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task Post_WrongSecret_Answers401()
    {
        var eventId = TestEnvelopes.NewEventId();
        var delivery = SignedDelivery.Create(TestEnvelopes.Batch(eventId), eventId, _time.GetUtcNow(), TestSecrets.Unrelated);

        using var response = await _host.Client.SendAsync(delivery.ToRequest(Hooks));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, nameof(WebhookVerificationFailure.InvalidSignature));
    }

    [Fact]
    public async Task Post_StaleTimestamp_Answers401TimestampTooOld()
    {
        var delivery = NewDelivery();
        _time.Advance(TimeSpan.FromMinutes(6));

        using var response = await _host.Client.SendAsync(delivery.ToRequest(Hooks));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, nameof(WebhookVerificationFailure.TimestampTooOld));
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task Post_FutureTimestamp_Answers401TimestampTooNew()
    {
        var eventId = TestEnvelopes.NewEventId();
        var delivery = SignedDelivery.Create(TestEnvelopes.Batch(eventId), eventId, _time.GetUtcNow().AddMinutes(6), TestSecrets.Current);

        using var response = await _host.Client.SendAsync(delivery.ToRequest(Hooks));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, nameof(WebhookVerificationFailure.TimestampTooNew));
    }

    [Fact]
    public async Task Post_SignedBodyThatIsNotAnEnvelope_Answers400WithoutHandler()
    {
        var delivery = SignedDelivery.Create("""{"hello":"world"}""", "event_a1b2c3d4e5f6g7h8", _time.GetUtcNow(), TestSecrets.Current);

        using var response = await _host.Client.SendAsync(delivery.ToRequest(Hooks));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task Post_HexSchemeOnly_Answers200()
    {
        var delivery = NewDelivery().Without(WebhookHeaders.Signature, WebhookHeaders.Id, WebhookHeaders.Timestamp);

        using var response = await _host.Client.SendAsync(delivery.ToRequest(Hooks));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(WebhookSignatureScheme.Hex, Assert.Single(_handled).Verification.Scheme);
    }

    [Fact]
    public async Task Post_HandlerThrows_Answers500AndNextAttemptIsProcessed()
    {
        var delivery = NewDelivery();
        var calls = 0;
        _behaviour = _ => ++calls == 1 ? throw new InvalidOperationException("database down") : Task.CompletedTask;

        using var failed = await _host.Client.SendAsync(delivery.ToRequest(Hooks));
        using var retried = await _host.Client.SendAsync(delivery.ToRequest(Hooks));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.False((await ReadAckAsync(retried)).GetProperty("duplicate").GetBoolean());
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Post_SecondDeliveryWhileFirstIsBeingHandled_Answers409()
    {
        var delivery = NewDelivery();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _behaviour = async _ =>
        {
            entered.SetResult();
            await release.Task;
        };

        var first = _host.Client.SendAsync(delivery.ToRequest(Hooks));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var concurrent = await _host.Client.SendAsync(delivery.ToRequest(Hooks));
        release.SetResult();
        using var firstResponse = await first;

        Assert.Equal(HttpStatusCode.Conflict, concurrent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
    }

    [Fact]
    public async Task Post_RotationWithOldSecretStillConfigured_Answers200ForOldSignature()
    {
        await using var host = await ReceiverHost.StartAsync(_time, app => app.MapWebhook("/rotating", Handle, o =>
        {
            o.Secrets.Add(TestSecrets.Current);
            o.Secrets.Add(TestSecrets.Previous);
        }));
        var eventId = TestEnvelopes.NewEventId();
        var delivery = SignedDelivery.Create(TestEnvelopes.Batch(eventId), eventId, _time.GetUtcNow(), TestSecrets.Previous);

        using var response = await host.Client.SendAsync(delivery.ToRequest(new Uri("/rotating", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOverLimit_Answers413()
    {
        await using var host = await ReceiverHost.StartAsync(_time, app => app.MapWebhook("/small", Handle, o =>
        {
            o.Secrets.Add(TestSecrets.Current);
            o.MaxBodyBytes = 64;
        }));

        using var response = await host.Client.SendAsync(NewDelivery().ToRequest(new Uri("/small", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task Post_TwoInstancesSharingTableStore_SecondAnswersDuplicate()
    {
        var table = new TableClient(azurite.ConnectionString, "receipts" + Guid.NewGuid().ToString("N")[..12]);
        var store = new TableStorageWebhookIdempotencyStore(table, _time);
        await using var other = await ReceiverHost.StartAsync(_time, app => app.MapWebhook("/hooks", Handle, o =>
        {
            o.Secrets.Add(TestSecrets.Current);
            o.IdempotencyStore = store;
        }));
        await using var first = await ReceiverHost.StartAsync(_time, app => app.MapWebhook("/hooks", Handle, o =>
        {
            o.Secrets.Add(TestSecrets.Current);
            o.IdempotencyStore = new TableStorageWebhookIdempotencyStore(new TableClient(azurite.ConnectionString, table.Name), _time);
        }));
        var delivery = NewDelivery();

        using var processed = await first.Client.SendAsync(delivery.ToRequest(Hooks));
        using var duplicate = await other.Client.SendAsync(delivery.ToRequest(Hooks));

        Assert.Equal(HttpStatusCode.OK, processed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.True((await ReadAckAsync(duplicate)).GetProperty("duplicate").GetBoolean());
        Assert.Single(_handled);
    }

    [Fact]
    public async Task MapWebhook_NoSecrets_ThrowsNamingTheSetting()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ReceiverHost.StartAsync(_time, app => app.MapWebhook("/none", Handle, _ => { })));

        Assert.Contains("Secrets", exception.Message, StringComparison.Ordinal);
    }

    private async Task Handle(WebhookContext context, CancellationToken cancellationToken)
    {
        await _behaviour(context);
        _handled.Enqueue(context);
    }

    private SignedDelivery NewDelivery()
    {
        var eventId = TestEnvelopes.NewEventId();
        return SignedDelivery.Create(TestEnvelopes.Batch(eventId), eventId, _time.GetUtcNow(), TestSecrets.Current);
    }

    private static async Task<JsonElement> ReadAckAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
    }
}
