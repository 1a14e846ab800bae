namespace Webhooks.Functions.Events;

/// <summary><c>GET /v1/event-types</c>: every event type, in one page.</summary>
internal sealed record EventTypeList(IReadOnlyList<EventTypeListItem> Data);
