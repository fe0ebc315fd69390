using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>
/// The help of the planner size options, read from the planners themselves: each catalog planner is built
/// once with its defaults (on the default profile) and its reported sizes (<see cref="PlannerSizes"/>) give
/// the defaults, the model step the horizon counts in, and which planners do not take the option. Built on
/// first use, so the text cannot drift from the catalog.
/// </summary>
public static class PlannerHelp
{
    private static readonly Lazy<(string Name, PlannerSizes Sizes)[]> s_sizes = new(() =>
        PlannerCatalog.Names
            .Select(name => (name, PlannerCatalog.Build(new RunSettings { Planner = name }, RigProfiles.FindByName(RigProfiles.Esp32RigName)!).Sizes))
            .ToArray());

    /// <summary>--samples: the default per planner, and the planners without samples.</summary>
    public static string Samples => "Sampled sequences per iteration; " + Defaults(s => s.Samples, s => s.Samples.ToString(CultureInfo.InvariantCulture)) + ".";

    /// <summary>--horizon: in model steps of each planner's step.</summary>
    public static string Horizon => "Planning horizon in the planner's model steps; "
        + Defaults(s => s.HorizonSteps, s => $"{s.HorizonSteps} x {s.ModelStepSeconds * 1000:0} ms", exclude: "mcts") + "; mcts: not used (its tree sets the depth).";

    /// <summary>--iterations.</summary>
    public static string Iterations => "Optimizer iterations (sampling rounds, or iLQR rounds) per tick; " + Defaults(s => s.Iterations, s => s.Iterations.ToString(CultureInfo.InvariantCulture)) + ".";

    /// <summary>--elites.</summary>
    public static string Elites => "Elite samples the distribution is refitted to (CEM family); " + Defaults(s => s.Elites, s => s.Elites.ToString(CultureInfo.InvariantCulture)) + ".";

    /// <summary>"defaults: a 24, b 24; not used by c, d", grouping planners with the same default.</summary>
    private static string Defaults(Func<PlannerSizes, int> size, Func<PlannerSizes, string> format, string? exclude = null)
    {
        var groups = new List<string>();
        foreach (IGrouping<string, string> group in s_sizes.Value
            .Where(p => size(p.Sizes) > 0 && p.Name != exclude)
            .GroupBy(p => format(p.Sizes), p => p.Name))
        {
            groups.Add($"{string.Join(", ", group)} {group.Key}");
        }

        string[] unused = s_sizes.Value.Where(p => size(p.Sizes) == 0 && p.Name != exclude).Select(p => p.Name).ToArray();
        return "defaults: " + string.Join("; ", groups) + (unused.Length > 0 ? $"; not used by {string.Join(", ", unused)}" : "");
    }

}
