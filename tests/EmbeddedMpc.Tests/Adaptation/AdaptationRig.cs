using System;
using EmbeddedMpc.Core.Adaptation;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Tests.Adaptation;

/// <summary>
/// A known plant for the adaptation tests: the Core's equations with the rig's true parameters, integrated
/// with RK4 at 1 kHz under the profile's drive (F = S u - k_emf ẋ, the command held over each 20 ms
/// period), measured every period with the rig's encoder quantization and seeded velocity noise; an
/// <see cref="OnlineModelAdaptation"/> watches it with a model whose parameters start off the truth.
/// </summary>
internal sealed class AdaptationRig
{
    private const int PlantStepsPerTick = 20;
    private readonly RigProfile _profile = RigProfiles.Esp32Rig();
    private readonly CartPoleModel _plant;
    private readonly float _stallForce;
    private readonly float _driveDamping;
    private readonly float _period;
    private readonly SeededRandom _random;
    private CartPoleState _state;
    private CartPoleState _measured;

    /// <param name="believed">The model's parameters at the start.</param>
    /// <param name="seed">Seed of the measurement noise.</param>
    /// <param name="settings">The adaptation's settings; null: the defaults.</param>
    /// <param name="driveStrengthBelieved">The adaptation believes a drive this many times stronger than the rig's (1: the true drive).</param>
    public AdaptationRig(CartPoleParameters believed, uint seed, AdaptationSettings? settings = null, float driveStrengthBelieved = 1f)
    {
        True = _profile.CopyParameters();
        _plant = new CartPoleModel(True);
        MotorParameters drive = _profile.CopyMotor();
        _stallForce = drive.StallForcePerDutyNewtons();
        _driveDamping = drive.BackEmfDampingNewtonSecondsPerMeter();
        _period = _profile.ControlPeriodSeconds;
        _random = new SeededRandom(seed);
        Model = new CartPoleModel(believed);
        MotorParameters believedDrive = drive.Clone();
        believedDrive.SupplyVoltageVolts *= driveStrengthBelieved;
        believedDrive.BackEmfVoltSecondsPerRadian /= driveStrengthBelieved; // the same back-EMF damping: only the stall force is wrong
        Adaptation = new OnlineModelAdaptation(Model, believedDrive, _period, settings ?? new AdaptationSettings());
        _state = new CartPoleState(0f, 0f, (float)Math.PI, 0f); // hanging at rest
    }

    /// <summary>The plant's parameters.</summary>
    public CartPoleParameters True { get; }

    /// <summary>The model the adaptation updates.</summary>
    public CartPoleModel Model { get; }

    public OnlineModelAdaptation Adaptation { get; }

    public float ControlPeriodSeconds => _period;

    /// <summary>The plant's true state (read-only use).</summary>
    public CartPoleState State => _state;

    /// <summary>Relative velocity noise of the measurement: velocities get N(0, this) m/s and 10x this rad/s.</summary>
    public float VelocityNoise { get; set; } = 0.005f;

    /// <summary>Encoder jitter: each reading is off by a whole count drawn from {-1, 0, 1} with this probability of a non-zero one; [0, 1].</summary>
    public float JitterProbability { get; set; }

    /// <summary>Measures, lets the adaptation observe (with <paramref name="command"/> to be held), then holds the command over one period.</summary>
    public void Tick(float command)
    {
        float countsPerMeter = _profile.CartCountsPerMeter;
        float countsPerRadian = _profile.PoleCountsPerRevolution / (2f * (float)Math.PI);
        _measured.X = (MathF.Round(_state.X * countsPerMeter) + Jitter()) / countsPerMeter;
        _measured.Theta = (MathF.Round(_state.Theta * countsPerRadian) + Jitter()) / countsPerRadian;
        _measured.XDot = _state.XDot + VelocityNoise * _random.NextGaussian();
        _measured.ThetaDot = _state.ThetaDot + 10f * VelocityNoise * _random.NextGaussian();
        Adaptation.Observe(ref _measured, command);
        float h = _period / PlantStepsPerTick;
        for (int i = 0; i < PlantStepsPerTick; i++)
        {
            _plant.StepRk4(ref _state, _stallForce * command - _driveDamping * _state.XDot, h);
        }
    }

    private float Jitter()
    {
        if (JitterProbability <= 0f)
        {
            return 0f;
        }

        float draw = _random.NextFloat();
        return draw < 0.5f * JitterProbability ? -1f : draw < JitterProbability ? 1f : 0f;
    }

    /// <summary>Holds the pole upright exactly and still, for the no-excitation scenario.</summary>
    public void HoldUprightStill()
    {
        _state = new CartPoleState(0f, 0f, 0f, 0f);
    }
}
