using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;
using System.Text.RegularExpressions;
using EmbeddedMpc.HostSim.Output;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>
/// The entry point's handling of a command line: --config expansion, parse errors reported as one line
/// naming the option (then a one-line hint, not the whole help), and interrupts (exit code
/// <see cref="ExitCodes.Interrupted"/>, the terminal restored).
/// </summary>
public static partial class CommandLine
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    /// <param name="root">The root command.</param>
    /// <param name="args">The command line.</param>
    /// <param name="configurable">The commands that take --config.</param>
    public static int Invoke(RootCommand root, string[] args, string[] configurable)
    {
        foreach (Command command in root.Subcommands.Where(c => configurable.Contains(c.Name)))
        {
            ConfigFile.AddTo(command);
        }

        string[] expanded;
        try
        {
            expanded = ConfigFile.Expand(root, args);
        }
        catch (ArgumentException error)
        {
            return CliErrors.Report(error.Message);
        }

        ParseResult parse = root.Parse(expanded);
        if (parse.Errors.Count > 0 && !args.Any(a => a is "--help" or "-h" or "-?"))
        {
            foreach (ParseError error in parse.Errors)
            {
                Console.Error.WriteLine($"error: {Explain(error.Message)}");
            }

            string name = parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ";
            Console.Error.WriteLine($"usage: embeddedmpc-sim {name}[options]; `embeddedmpc-sim {name}--help` lists them.");
            return ExitCodes.MalformedCommandLine;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (OperationCanceledException) when (Interruption.Requested)
        {
            Interruption.RestoreTerminal();
            Console.Error.WriteLine("interrupted: no outputs written");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>The parser's message with .NET type names replaced by what the option accepts.</summary>
    public static string Explain(string message)
    {
        Match match = WrongType().Match(message);
        if (!match.Success)
        {
            return message;
        }

        string accepted = match.Groups["type"].Value switch
        {
            var t when t.Contains("UInt32") => "a whole number in [0, 4294967295]",
            var t when t.Contains("Int32") => "a whole number",
            var t when t.Contains("Double") || t.Contains("Single") => "a number",
            var t when t.Contains("Boolean") => "true or false",
            _ => "a value of another kind",
        };
        return $"{match.Groups["option"].Value}: '{match.Groups["value"].Value}' is not accepted; accepted: {accepted}.";
    }

    [GeneratedRegex("Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex WrongType();
}
