using System;
using System.Collections.Generic;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Cli;


/// <summary>
/// The command line's check of a run before any computing: <see cref="RunSettings.Validate"/>, then the
/// planner built once, so that a size the planner refuses is reported under its option's name
/// (--samples, not the Core's setting name) and a size option the planner does not use is refused,
/// naming it, instead of being silently ignored. Whether a planner uses an option is read from the sizes
/// it reports having been built with (<see cref="PlannerSizes"/>): an option it ignores does not show there.
/// </summary>
public static class PlannerOptionCheck
{
    /// <summary>The Core's setting names (<see cref="ArgumentException.ParamName"/>) and the options that set them.</summary>
    private static readonly (string Setting, string Option)[] s_options =
    [
        ("Samples", "--samples"),
        ("Horizon", "--horizon"),
        ("HorizonSteps", "--horizon"),
        ("Iterations", "--iterations"),
        ("Elites", "--elites"),
    ];

    /// <summary>Throws <see cref="ArgumentException"/> naming the option when <paramref name="settings"/> cannot run as given.</summary>
    /// <exception cref="ArgumentException">A setting is out of range for its planner, or the planner does not use an option given.</exception>
    public static void Validate(RunSettings settings)
    {
        settings.Validate();
        RigProfile controller = settings.ResolveControllerProfile(settings.ResolveProfile());
        PlannerSizes sizes;
        try
        {
            sizes = PlannerCatalog.Build(settings, controller).Sizes;
        }
        catch (ArgumentException error) when (OptionFor(error.ParamName) is string option)
        {
            string message = error.Message;
            int parameter = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
            message = parameter >= 0 ? message[..parameter] : message;
            SizeOption size = SizeOptions.First(o => o.Name == option);
            if (size.Given(settings) is int typed)
            {
                // The Core names one setting's range, but a planner may derive several from one option (--horizon
                // in model steps also sets the knots, in other units): state the option's own range, found by building.
                (int lowest, int highest) = AcceptedRange(settings, controller, size, typed);
                throw new ArgumentException($"{option} must be an integer in [{lowest}, {highest}] for planner '{settings.Planner}'; got {typed}.");
            }

            message = message.StartsWith(error.ParamName!, StringComparison.Ordinal) ? option + message[error.ParamName!.Length..] : $"{option}: {message}";
            throw new ArgumentException($"{message} (planner '{settings.Planner}')");
        }

        string[] given = SizeOptions.Where(o => o.Given(settings) is not null).Select(o => o.Name).ToArray();
        string[] ignored = given.Where(name => !Uses(settings, controller, SizeOptions.First(o => o.Name == name), sizes)).ToArray();
        if (ignored.Length > 0)
        {
            string[] used = SizeOptions.Where(o => Uses(settings, controller, o, sizes)).Select(o => o.Name).ToArray();
            throw new ArgumentException(
                $"planner '{settings.Planner}' does not use {string.Join(", ", ignored)}; "
                + (used.Length > 0 ? $"accepted for it: {string.Join(", ", used)}." : "it takes none of " + string.Join(", ", SizeOptions.Select(o => o.Name)) + "."));
        }
    }

    /// <summary>A size option: its name, the value a run gives, a copy of a run with another value, and the size a planner reports for it.</summary>
    private sealed record SizeOption(string Name, Func<RunSettings, int?> Given, Func<RunSettings, int?, RunSettings> With, Func<PlannerSizes, int> Built);

    private static readonly SizeOption[] SizeOptions =
    [
        new("--samples", s => s.Samples, (s, v) => s with { Samples = v }, z => z.Samples),
        new("--horizon", s => s.Horizon, (s, v) => s with { Horizon = v }, z => z.HorizonSteps),
        new("--iterations", s => s.Iterations, (s, v) => s with { Iterations = v }, z => z.Iterations),
        new("--elites", s => s.Elites, (s, v) => s with { Elites = v }, z => z.Elites),
    ];

    /// <summary>
    /// Whether the planner uses <paramref name="option"/>: built with the value given (or its default plus
    /// one), it reports that value. A planner that ignores the option reports its own size, or none.
    /// </summary>
    private static bool Uses(RunSettings settings, RigProfile controller, SizeOption option, PlannerSizes built)
    {
        int probe = option.Given(settings) ?? option.Built(built) + 1;
        try
        {
            return option.Built(PlannerCatalog.Build(option.With(settings, probe), controller).Sizes) == probe;
        }
        catch (ArgumentException)
        {
            return true; // the planner validated the value, so it reads it
        }
    }

    /// <summary>
    /// The values of <paramref name="option"/> the planner builds with, found by bisection between its default
    /// (which builds) and the refused <paramref name="refused"/>; the accepted values of a size form one interval.
    /// </summary>
    private static (int Lowest, int Highest) AcceptedRange(RunSettings settings, RigProfile controller, SizeOption option, int refused)
    {
        int fallback = option.Built(PlannerCatalog.Build(option.With(settings, null), controller).Sizes);
        bool Builds(int value)
        {
            try
            {
                PlannerCatalog.Build(option.With(settings, value), controller);
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        // Invariant: Builds(accepted) and !Builds(rejected); each round halves the gap.
        int Edge(int accepted, int rejected)
        {
            while (Math.Abs(rejected - accepted) > 1)
            {
                int middle = accepted + ((rejected - accepted) / 2);
                if (Builds(middle))
                {
                    accepted = middle;
                }
                else
                {
                    rejected = middle;
                }
            }

            return accepted;
        }

        int lowest = refused < fallback ? Edge(fallback, refused) : (Builds(1) ? 1 : Edge(fallback, 0));
        int highest = refused > fallback ? Edge(fallback, refused) : (Builds(1_000_000) ? 1_000_000 : Edge(fallback, 1_000_000));
        return (lowest, highest);
    }

    private static string? OptionFor(string? setting) =>
        s_options.FirstOrDefault(entry => entry.Setting == setting).Option;
}
