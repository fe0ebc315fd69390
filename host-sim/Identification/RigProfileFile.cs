using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>
/// A rig profile as a JSON file (camelCase, SI units), written by `identify` and read by
/// `run --profile-file` / `--model-file`. Every field is required except the two Coulomb frictions,
/// which read as 0 when absent (files written before the model had them); the values are validated by
/// <see cref="RigProfile"/>'s constructor.
/// <code>
/// { "format": "embeddedmpc-rig-profile/1", "name": ..., "description": ...,
///   "parameters": { "cartMassKilograms", "poleMassKilograms", "pivotToCenterOfMassMeters",
///                   "poleInertiaAboutPivotKilogramSquareMeters", "cartDampingNewtonSecondsPerMeter",
///                   "pivotDampingNewtonMeterSecondsPerRadian", "maxForceNewtons", "trackHalfLengthMeters",
///                   "gravityMetersPerSecondSquared", "cartCoulombFrictionNewtons"?, "pivotCoulombFrictionNewtonMeters"? },
///   "motor": { "supplyVoltageVolts", "torqueConstantNewtonMetersPerAmp", "backEmfVoltSecondsPerRadian",
///              "windingResistanceOhms", "gearRatio", "pulleyRadiusMeters", "deadbandDuty" },
///   "cartCountsPerMeter", "poleCountsPerRevolution", "controlPeriodSeconds",
///   "limitSwitchOffsetMeters", "endStopOffsetMeters" }
/// </code>
/// </summary>
public static class RigProfileFile
{
    /// <summary>The value of the "format" field.</summary>
    public const string Format = "embeddedmpc-rig-profile/1";

    /// <summary>The profile as indented JSON.</summary>
    public static string ToJson(RigProfile profile)
    {
        CartPoleParameters p = profile.CopyParameters();
        MotorParameters m = profile.CopyMotor();
        var root = new JsonObject
        {
            ["format"] = Format,
            ["name"] = profile.Name,
            ["description"] = profile.Description,
            ["parameters"] = new JsonObject
            {
                ["cartMassKilograms"] = p.CartMassKilograms,
                ["poleMassKilograms"] = p.PoleMassKilograms,
                ["pivotToCenterOfMassMeters"] = p.PivotToCenterOfMassMeters,
                ["poleInertiaAboutPivotKilogramSquareMeters"] = p.PoleInertiaAboutPivotKilogramSquareMeters,
                ["cartDampingNewtonSecondsPerMeter"] = p.CartDampingNewtonSecondsPerMeter,
                ["pivotDampingNewtonMeterSecondsPerRadian"] = p.PivotDampingNewtonMeterSecondsPerRadian,
                ["maxForceNewtons"] = p.MaxForceNewtons,
                ["trackHalfLengthMeters"] = p.TrackHalfLengthMeters,
                ["gravityMetersPerSecondSquared"] = p.GravityMetersPerSecondSquared,
                ["cartCoulombFrictionNewtons"] = p.CartCoulombFrictionNewtons,
                ["pivotCoulombFrictionNewtonMeters"] = p.PivotCoulombFrictionNewtonMeters,
            },
            ["motor"] = new JsonObject
            {
                ["supplyVoltageVolts"] = m.SupplyVoltageVolts,
                ["torqueConstantNewtonMetersPerAmp"] = m.TorqueConstantNewtonMetersPerAmp,
                ["backEmfVoltSecondsPerRadian"] = m.BackEmfVoltSecondsPerRadian,
                ["windingResistanceOhms"] = m.WindingResistanceOhms,
                ["gearRatio"] = m.GearRatio,
                ["pulleyRadiusMeters"] = m.PulleyRadiusMeters,
                ["deadbandDuty"] = m.DeadbandDuty,
            },
            ["cartCountsPerMeter"] = profile.CartCountsPerMeter,
            ["poleCountsPerRevolution"] = profile.PoleCountsPerRevolution,
            ["controlPeriodSeconds"] = profile.ControlPeriodSeconds,
            ["limitSwitchOffsetMeters"] = profile.LimitSwitchOffsetMeters,
            ["endStopOffsetMeters"] = profile.EndStopOffsetMeters,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes <paramref name="profile"/> to <paramref name="path"/>.</summary>
    public static void Write(RigProfile profile, string path) =>
        File.WriteAllText(path, ToJson(profile) + "\n", new UTF8Encoding(false));

    /// <summary>Reads the profile in <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The file cannot be read, is not such a profile, lacks a field or has a value out of range (the message names the file and the field).</exception>
    public static RigProfile Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read the profile file '{path}': {error.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Parses a profile from JSON text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="ArgumentException">See <see cref="Read"/>.</exception>
    public static RigProfile Parse(string text, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"'{source}' is not valid JSON ({error.Message}); accepted: a rig profile written by `identify` (format {Format}).");
        }

        if (root is not JsonObject obj || Text(obj, "format", source) != Format)
        {
            throw new ArgumentException($"'{source}' is not a rig profile: its \"format\" must be \"{Format}\" (as `identify` writes it).");
        }

        JsonObject parametersNode = Object(obj, "parameters", source);
        JsonObject motorNode = Object(obj, "motor", source);
        var parameters = new CartPoleParameters
        {
            CartMassKilograms = Number(parametersNode, "cartMassKilograms", source),
            PoleMassKilograms = Number(parametersNode, "poleMassKilograms", source),
            PivotToCenterOfMassMeters = Number(parametersNode, "pivotToCenterOfMassMeters", source),
            PoleInertiaAboutPivotKilogramSquareMeters = Number(parametersNode, "poleInertiaAboutPivotKilogramSquareMeters", source),
            CartDampingNewtonSecondsPerMeter = Number(parametersNode, "cartDampingNewtonSecondsPerMeter", source),
            PivotDampingNewtonMeterSecondsPerRadian = Number(parametersNode, "pivotDampingNewtonMeterSecondsPerRadian", source),
            MaxForceNewtons = Number(parametersNode, "maxForceNewtons", source),
            TrackHalfLengthMeters = Number(parametersNode, "trackHalfLengthMeters", source),
            GravityMetersPerSecondSquared = Number(parametersNode, "gravityMetersPerSecondSquared", source),
            CartCoulombFrictionNewtons = OptionalNumber(parametersNode, "cartCoulombFrictionNewtons", source),
            PivotCoulombFrictionNewtonMeters = OptionalNumber(parametersNode, "pivotCoulombFrictionNewtonMeters", source),
        };
        var motor = new MotorParameters
        {
            SupplyVoltageVolts = Number(motorNode, "supplyVoltageVolts", source),
            TorqueConstantNewtonMetersPerAmp = Number(motorNode, "torqueConstantNewtonMetersPerAmp", source),
            BackEmfVoltSecondsPerRadian = Number(motorNode, "backEmfVoltSecondsPerRadian", source),
            WindingResistanceOhms = Number(motorNode, "windingResistanceOhms", source),
            GearRatio = Number(motorNode, "gearRatio", source),
            PulleyRadiusMeters = Number(motorNode, "pulleyRadiusMeters", source),
            DeadbandDuty = Number(motorNode, "deadbandDuty", source),
        };
        string name = Text(obj, "name", source) ?? throw new ArgumentException($"'{source}' lacks the field \"name\".");
        string description = Text(obj, "description", source) ?? "";
        try
        {
            return new RigProfile(name, description, parameters, motor, Number(obj, "cartCountsPerMeter", source), Number(obj, "poleCountsPerRevolution", source),
                Number(obj, "controlPeriodSeconds", source), Number(obj, "limitSwitchOffsetMeters", source), Number(obj, "endStopOffsetMeters", source));
        }
        catch (ArgumentException error) when (!error.Message.StartsWith('\''))
        {
            throw new ArgumentException($"'{source}': {error.Message}");
        }
    }

    /// <summary>The string field <paramref name="name"/>, or null when absent.</summary>
    /// <exception cref="ArgumentException">The field is there but not a string.</exception>
    private static string? Text(JsonObject obj, string name, string source) =>
        obj[name] switch
        {
            null => null,
            JsonValue value when value.TryGetValue(out string? text) => text,
            _ => throw new ArgumentException($"'{source}': the field \"{name}\" must be a string."),
        };

    private static JsonObject Object(JsonObject parent, string field, string source) =>
        parent[field] as JsonObject ?? throw new ArgumentException($"'{source}' lacks the object \"{field}\".");

    /// <summary>The number field <paramref name="field"/>, or 0 when absent.</summary>
    private static float OptionalNumber(JsonObject parent, string field, string source) =>
        parent.ContainsKey(field) ? Number(parent, field, source) : 0f;

    private static float Number(JsonObject parent, string field, string source)
    {
        JsonNode? node = parent[field];
        if (node is not JsonValue value || !value.TryGetValue(out double number))
        {
            throw new ArgumentException($"'{source}': the field \"{field}\" is missing or not a number.");
        }

        if (!double.IsFinite(number))
        {
            throw new ArgumentException($"'{source}': the field \"{field}\" is not finite ({number.ToString(CultureInfo.InvariantCulture)}).");
        }

        return (float)number;
    }
}
