using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhooks.Functions.Tests.Stats;

/// <summary>Reads the samples of one metric out of a Prometheus text exposition.</summary>
internal static partial class PrometheusText
{
    public static List<PrometheusSample> Samples(string text, string metric)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(metric + "{", StringComparison.Ordinal))
            {
                continue;
            }
            var close = line.LastIndexOf('}');
            var labels = Label().Matches(line[(metric.Length + 1)..close])
                .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
            var value = double.Parse(line[(close + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            samples.Add(new PrometheusSample(labels, value));
        }
        return samples;
    }

    [GeneratedRegex("(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Label();
}

internal sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value);
