using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace EmbeddedMpc.HostSim.Cli;

/// <summary>
/// `--config FILE`: a JSON object of a command's options, each named as on the command line without its
/// dashes, in camelCase (<c>--delay-ticks 2</c> is <c>"delayTicks": 2</c>; a flag is <c>true</c>). A run's
/// summary.json is accepted too: its <c>"settings"</c> object is such a configuration, so
/// <c>run --config runs/x/summary.json</c> repeats that run. Options typed on the command line win over the
/// file's. The file is expanded into command-line tokens before parsing, so every option is checked by
/// the same rules whether typed or configured.
/// </summary>
public static class ConfigFile
{
    /// <summary>The option's name.</summary>
    public const string OptionName = "--config";

    /// <summary>Where a summary.json keeps the settings of its run.</summary>
    public const string SettingsProperty = "settings";

    /// <summary>Adds --config to <paramref name="command"/>.</summary>
    public static void AddTo(Command command) => command.Options.Add(new Option<string?>(OptionName)
    {
        Description = "A JSON file of this command's options, named without dashes in camelCase ({\"planner\": \"icem-dm\", \"delayTicks\": 1}), or a run's summary.json (its \"settings\"), to repeat that run; options typed here win.",
    });

    /// <summary>The configuration key of an option: "--delay-ticks" gives "delayTicks".</summary>
    public static string KeyOf(string optionName)
    {
        string[] words = optionName.TrimStart('-').Split('-', StringSplitOptions.RemoveEmptyEntries);
        var key = new StringBuilder(words[0]);
        foreach (string word in words.Skip(1))
        {
            key.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
        }

        return key.ToString();
    }

    /// <summary>
    /// <paramref name="args"/> with the options of the file named by --config inserted after the command's
    /// name (those not typed on the command line); <paramref name="args"/> itself when there is no --config.
    /// </summary>
    /// <param name="root">The root command, whose subcommands declare the options.</param>
    /// <param name="args">The command line.</param>
    /// <exception cref="ArgumentException">The file cannot be read, is not a JSON object, or names a setting the command does not have (the message says which).</exception>
    public static string[] Expand(RootCommand root, string[] args)
    {
        int at = Array.FindIndex(args, a => a == OptionName || a.StartsWith(OptionName + "=", StringComparison.Ordinal));
        if (at < 0 || args.Length == 0)
        {
            return args;
        }

        Command? command = root.Subcommands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null || !command.Options.Any(o => o.Name == OptionName))
        {
            return args; // the parser reports --config where it does not belong
        }

        string? path = args[at].Length > OptionName.Length ? args[at][(OptionName.Length + 1)..] : at + 1 < args.Length ? args[at + 1] : null;
        if (path is null)
        {
            return args; // the parser reports the missing value
        }

        var tokens = new List<string>();
        foreach (JsonProperty setting in Read(path).EnumerateObject())
        {
            Option option = command.Options.FirstOrDefault(o => o.Name != OptionName && o.Name.StartsWith("--", StringComparison.Ordinal) && KeyOf(o.Name) == setting.Name)
                ?? throw new ArgumentException($"{OptionName} '{path}': '{command.Name}' has no setting '{setting.Name}'; accepted: "
                    + string.Join(", ", command.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name is not OptionName and not "--help").Select(o => KeyOf(o.Name))) + ".");
            if (args.Any(a => a == option.Name || a.StartsWith(option.Name + "=", StringComparison.Ordinal)))
            {
                continue; // typed on the command line: that wins
            }

            JsonElement value = setting.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                case JsonValueKind.False when option.ValueType == typeof(bool):
                    break;
                case JsonValueKind.True when option.ValueType == typeof(bool):
                    tokens.Add(option.Name);
                    break;
                case JsonValueKind.String:
                    tokens.Add(option.Name);
                    tokens.Add(value.GetString()!);
                    break;
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    tokens.Add(option.Name);
                    tokens.Add(value.GetRawText());
                    break;
                default:
                    throw new ArgumentException($"{OptionName} '{path}': setting '{setting.Name}' is {value.ValueKind.ToString().ToLowerInvariant()}; accepted: a string, a number, true, false or null.");
            }
        }

        return [args[0], .. tokens, .. args.Skip(1)];
    }

    private static JsonElement Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ArgumentException($"{OptionName} '{path}' cannot be read: {error.Message}");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"{OptionName} '{path}' is not a JSON object; accepted: {{\"planner\": \"icem-dm\", ...}} or a run's summary.json.");
            }

            return (root.TryGetProperty(SettingsProperty, out JsonElement settings) && settings.ValueKind == JsonValueKind.Object ? settings : root).Clone();
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"{OptionName} '{path}' is not valid JSON: {error.Message}");
        }
    }
}
