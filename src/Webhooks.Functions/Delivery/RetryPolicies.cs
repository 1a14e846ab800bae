using System.Globalization;
using Microsoft.Extensions.Options;

namespace Webhooks.Functions.Delivery;

/// <summary>The retry policies a team can choose: the three of SPEC §5, changed or extended by <c>Delivery:Policies</c>.</summary>
internal sealed class RetryPolicies
{
    public const string Standard = "standard";
    public const string Short = "short";
    public const string Extended = "extended";

    private static readonly Dictionary<string, string> BuiltIn = new(StringComparer.Ordinal)
    {
        [Standard] = "0s,2m,4m,7m,15m",
        [Short] = "0s,30s,2m,10m",
        [Extended] = "0s,5s,5m,30m,2h,5h,10h,10h",
    };

    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");
    private readonly Dictionary<string, RetryPolicy> _policies;

    public RetryPolicies(IOptions<DeliveryOptions> options)
    {
        var configured = options.Value;
        _policies = Merge(configured.Policies).ToDictionary(
            p => p.Key,
            p => new RetryPolicy(p.Key, TryParseSchedule(p.Value, out var delays, out _) ? delays : throw new InvalidOperationException(p.Key)),
            StringComparer.Ordinal);
        Default = _policies[configured.DefaultPolicy];
    }

    public RetryPolicy Default { get; }

    public IEnumerable<string> Names => _policies.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string? name, out RetryPolicy policy)
    {
        policy = Default;
        return name is not null && _policies.TryGetValue(name, out policy!);
    }

    /// <summary>The team's chosen policy, or the default when it chose none or one that no longer exists.</summary>
    public RetryPolicy ForTeam(string? teamPolicy) => TryGet(teamPolicy, out var policy) ? policy : Default;

    public static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> overrides)
    {
        var merged = new Dictionary<string, string>(BuiltIn, StringComparer.Ordinal);
        foreach (var (name, schedule) in overrides)
        {
            merged[name] = schedule;
        }
        return merged;
    }

    /// <summary>Parses <c>0s,1500ms,2m,1h,1d</c>. At least one delay, none negative, each at most 7 days.</summary>
    public static bool TryParseSchedule(string? text, out List<TimeSpan> delays, out string error)
    {
        delays = [];
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "must list at least one delay, e.g. 0s,1s,2s";
            return false;
        }
        foreach (var raw in text.Split(','))
        {
            if (!TryParseDelay(raw.Trim(), out var delay))
            {
                error = $"'{raw.Trim()}' is not a delay such as 0s, 500ms, 2m, 1h or 1d";
                return false;
            }
            if (delay > TimeSpan.FromDays(7))
            {
                error = $"'{raw.Trim()}' is longer than 7 days";
                return false;
            }
            delays.Add(delay);
        }
        return true;
    }

    private static bool TryParseDelay(string text, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        var unitStart = text.AsSpan().IndexOfAnyExcept(Digits);
        if (unitStart <= 0 || !long.TryParse(text.AsSpan(0, unitStart), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }
        TimeSpan? unit = text[unitStart..] switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            _ => null,
        };
        if (unit is null || amount > 1_000_000_000)
        {
            return false;
        }
        delay = unit.Value * amount;
        return true;
    }

    public static string FormatDelay(TimeSpan delay) =>
        delay.Ticks % TimeSpan.TicksPerSecond != 0 ? $"{(long)delay.TotalMilliseconds}ms"
        : delay.Ticks % TimeSpan.TicksPerHour == 0 && delay > TimeSpan.Zero ? $"{(long)delay.TotalHours}h"
        : delay.Ticks % TimeSpan.TicksPerMinute == 0 && delay > TimeSpan.Zero ? $"{(long)delay.TotalMinutes}m"
        : $"{(long)delay.TotalSeconds}s";
}
