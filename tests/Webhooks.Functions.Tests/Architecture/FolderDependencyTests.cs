using System.Text.RegularExpressions;
using NetArchTest.Rules;
using Webhooks.Functions.Storage;
using Xunit.Abstractions;

namespace Webhooks.Functions.Tests.Architecture;

/// <summary>
/// The folder arrows of ARCHITECTURE.md ("Where things live"), read from the compiled product assembly: NetArchTest
/// reads every type's IL through Mono.Cecil, so a folder uses another when any of its types (nested and
/// compiler-generated ones included: lambdas, async state machines) names one of the other's types in a signature, a
/// field, an attribute or a method body. A folder is a namespace, <c>Webhooks.Functions.&lt;Folder&gt;</c> with its
/// sub-namespaces. The portal's compiled Razor views are in <c>Webhooks.Functions.Portal.Pages</c>; a view compiled
/// into the Razor SDK's default namespace (<c>AspNetCoreGeneratedDocument</c>) would count as the portal's too.
/// </summary>
public sealed class FolderDependencyTests(ITestOutputHelper output)
{
    private const string Root = "Webhooks.Functions.";
    private const string RazorViews = "AspNetCoreGeneratedDocument";

    private static readonly string[] Folders =
        ["Api", "Teams", "Jobs", "Crawling", "Events", "Endpoints", "Delivery", "Outbound", "Retention", "Portal", "Storage", "Hosting"];

    /// <summary>The features: capabilities a customer or an operator sees. Api, Delivery, Outbound, Storage and Hosting are not.</summary>
    private static readonly string[] Features = ["Teams", "Jobs", "Crawling", "Events", "Endpoints", "Retention", "Portal"];

    /// <summary>The "never" arrows of ARCHITECTURE.md, each with the reason it gives.</summary>
    private static readonly (string From, string To, string Why)[] Nevers =
    [
        .. new[] { "Api", "Events", "Endpoints" }.Concat(Features).Distinct().Select(to => ("Delivery", to, "Delivery asks through ports and knows no feature")),
        .. Features.Select(to => ("Storage", to, "Storage knows no feature")),
        .. Features.Select(to => ("Outbound", to, "Outbound knows no feature")),
        .. Features.Select(from => (from, "Hosting", "no feature knows Hosting")),
    ];

    private static readonly Lazy<Dictionary<(string From, string To), IReadOnlyList<string>>> Arrows = new(Measure);

    [Fact]
    public void EveryFolderArrow_PointsOneWay()
    {
        var arrows = Arrows.Value;
        var twoWay = arrows.Keys
            .Where(a => string.CompareOrdinal(a.From, a.To) < 0 && arrows.ContainsKey((a.To, a.From)))
            .Select(a => $"{a.From} <-> {a.To}:\n  {Describe(a.From, a.To, arrows[a])}\n  {Describe(a.To, a.From, arrows[(a.To, a.From)])}")
            .ToList();

        Assert.True(twoWay.Count == 0, $"Folders that use each other ({twoWay.Count}):\n" + string.Join('\n', twoWay));
    }

    [Fact]
    public void NoNeverArrowOfTheDesign_Exists()
    {
        var arrows = Arrows.Value;
        var broken = Nevers
            .Where(n => arrows.ContainsKey((n.From, n.To)))
            .Select(n => $"{n.Why}:\n  {Describe(n.From, n.To, arrows[(n.From, n.To)])}")
            .ToList();

        Assert.True(broken.Count == 0, $"Arrows the design forbids ({broken.Count}):\n" + string.Join('\n', broken));
    }

    /// <summary>Not an assertion: the measured arrows, for a reader comparing the tree with the design.</summary>
    [Fact]
    public void Arrows_AreMeasured()
    {
        var arrows = Arrows.Value;
        foreach (var ((from, to), types) in arrows.OrderBy(a => Array.IndexOf(Folders, a.Key.From)).ThenBy(a => Array.IndexOf(Folders, a.Key.To)))
        {
            output.WriteLine($"{from} -> {to} ({types.Count} types)");
        }
        // A measurement that found nothing measured nothing: Hosting composes every folder.
        Assert.Contains(("Hosting", "Delivery"), arrows.Keys);
    }

    private static string Describe(string from, string to, IReadOnlyList<string> types) =>
        $"{from} -> {to}: " + string.Join(", ", types);

    /// <summary>Every arrow: (from, to) with the types of <c>from</c> that use <c>to</c>, outermost type names.</summary>
    private static Dictionary<(string From, string To), IReadOnlyList<string>> Measure()
    {
        var assembly = typeof(StorageAccount).Assembly;
        var namespaces = assembly.GetTypes().Select(t => t.Namespace).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var arrows = new Dictionary<(string, string), IReadOnlyList<string>>();
        foreach (var from in Folders)
        {
            foreach (var to in Folders.Where(f => f != from))
            {
                var selected = Types.InAssembly(assembly).That().ResideInNamespaceMatching($@"^{Regex.Escape(Root + from)}(\..+)?$");
                if (from == "Portal")
                {
                    selected = selected.Or().ResideInNamespace(RazorViews);
                }
                var folderNamespaces = namespaces.Where(n => n == Root + to || n.StartsWith(Root + to + ".", StringComparison.Ordinal)).ToArray();
                var result = selected.ShouldNot().HaveDependencyOnAny(folderNamespaces).GetResult();
                if (!result.IsSuccessful)
                {
                    arrows[(from, to)] = result.FailingTypes
                        .Select(t => OuterName(t.FullName))
                        .Distinct(StringComparer.Ordinal)
                        .Order(StringComparer.Ordinal)
                        .ToList();
                }
            }
        }
        return arrows;
    }

    /// <summary><c>Webhooks.Functions.Jobs.BatchWorker/&lt;RunChunkAsync&gt;d__3</c> → <c>Jobs.BatchWorker</c>.</summary>
    private static string OuterName(string fullName)
    {
        var name = fullName.StartsWith(Root, StringComparison.Ordinal) ? fullName[Root.Length..] : fullName;
        var nested = name.IndexOfAny(['/', '+']);
        return nested < 0 ? name : name[..nested];
    }
}
