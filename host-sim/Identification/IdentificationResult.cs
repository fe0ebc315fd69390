using System.Collections.Generic;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>One identified quantity with its uncertainty.</summary>
/// <param name="Name">camelCase name, e.g. "poleInertiaAboutPivotKilogramSquareMeters".</param>
/// <param name="Label">Human label with its symbol.</param>
/// <param name="Unit">SI unit.</param>
/// <param name="Value">The estimate.</param>
/// <param name="StandardError">Block-bootstrap standard error.</param>
/// <param name="Nominal">The prior's value.</param>
/// <param name="Identifiability">How it is identified ("from the logs", "given the pole mass", ...).</param>
/// <param name="Identified">False when the standard error exceeds <see cref="IdentificationSettings.UnidentifiableRelativeError"/> of the value: the logs do not determine it, and the profile keeps the prior's value.</param>
public sealed record ParameterEstimate(string Name, string Label, string Unit, double Value, double StandardError, double Nominal, string Identifiability, bool Identified = true);

/// <summary>Open-loop prediction errors on held-out data, RMS.</summary>
/// <param name="Model">"identified" or "nominal".</param>
/// <param name="OneStepCartMillimeters">Cart position error after one control period, mm.</param>
/// <param name="OneStepPoleMilliradians">Pole angle error after one control period, mrad.</param>
/// <param name="MultiStepCartMillimeters">Cart position error after <see cref="HeldOutEvaluation.MultiStepTicks"/> periods, mm.</param>
/// <param name="MultiStepPoleMilliradians">Pole angle error after that many periods, mrad.</param>
public sealed record PredictionError(string Model, double OneStepCartMillimeters, double OneStepPoleMilliradians, double MultiStepCartMillimeters, double MultiStepPoleMilliradians);

/// <summary>The outcome of identification.</summary>
public sealed record IdentificationResult(
    IReadOnlyList<string> Logs,
    int FitSamples,
    int HeldOutSamples,
    double FitSeconds,
    double ConditionNumber,
    IReadOnlyList<ParameterEstimate> Estimates,
    IReadOnlyList<ParameterEstimate> Known,
    IReadOnlyList<PredictionError> HeldOut,
    IReadOnlyList<string> Warnings,
    RigProfile Profile);
