using System;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Plants;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>
/// The simulated rig behind the Core's hardware interfaces: the plant, the drive (the profile's
/// motor model with its dead zone, driven by the duty the controller sets), encoders that count from
/// wherever the rig was at power-on, limit switches and an E-stop. Faults can be injected.
/// </summary>
public sealed class RigHardware : IRigSensors, IMotorDriver
{
    private readonly MotorParameters _motor;
    private readonly float _switchPosition;
    private readonly float _cartCountsPerMeter;
    private readonly float _poleCountsPerRadian;
    private readonly long _cartCountAtPowerOn;
    private readonly long _poleCountAtPowerOn;
    private readonly float[] _pendingDuties; // ring of duties set but not yet applied (actuation delay)
    private int _pendingIndex;
    private float _duty;

    // Reality effects (null on the ideal rig): the drive, the sensors' latency, the random cart force.
    private readonly RealityEffects? _reality;
    private readonly RealisticDrive? _drive;
    private readonly CartPoleState[]? _history;   // ring of the plant's states after each step, newest at _historyIndex
    private readonly int _latencySteps;
    private readonly int _jitterSteps;
    private readonly SeededRandom? _noise;
    private int _historyIndex;
    private int _historyCount;
    private double _randomForce;

    /// <param name="profile">The rig; its parameters and drive are the plant's truth.</param>
    /// <param name="initialState">True state at power-on.</param>
    /// <param name="countsZeroAtOrigin">
    /// True: the encoders read 0 at x = 0 and theta = 0 (a rig already homed and calibrated).
    /// False: they read 0 wherever the rig was at power-on, as real incremental encoders do.
    /// </param>
    /// <param name="actuationDelayTicks">Control periods between <see cref="SetDuty"/> and the drive applying the duty.</param>
    public RigHardware(RigProfile profile, CartPoleState initialState, bool countsZeroAtOrigin, int actuationDelayTicks = 0)
        : this(profile, new IdealPlant(profile, initialState), countsZeroAtOrigin, actuationDelayTicks)
    {
    }

    /// <summary>
    /// The rig around <paramref name="plant"/>, which starts at the rig's power-on state; with
    /// <paramref name="reality"/>, its drive (<see cref="RealisticDrive"/>), its sensors' latency and
    /// jitter, and a random force on the cart are those effects' (null or <see cref="RealityEffects.None"/>: the ideal rig).
    /// </summary>
    /// <inheritdoc cref="RigHardware(RigProfile, CartPoleState, bool, int)"/>
    public RigHardware(RigProfile profile, IPlant plant, bool countsZeroAtOrigin, int actuationDelayTicks = 0, RealityEffects? reality = null)
    {
        if (reality is not null && !reality.IsNone)
        {
            _reality = reality;
            _drive = new RealisticDrive(profile.CopyMotor(), reality);
            _latencySteps = (int)Math.Round(reality.SensorLatencySeconds / plant.StepSeconds);
            _jitterSteps = (int)Math.Round(reality.SensorJitterSeconds / plant.StepSeconds);
            _history = new CartPoleState[_latencySteps + _jitterSteps + 1];
            _noise = new SeededRandom(reality.NoiseSeed);
        }

        ArgumentNullException.ThrowIfNull(plant);
        _pendingDuties = new float[actuationDelayTicks];
        Plant = plant;
        _motor = profile.CopyMotor();
        _switchPosition = profile.CopyParameters().TrackHalfLengthMeters + profile.LimitSwitchOffsetMeters;
        _cartCountsPerMeter = profile.CartCountsPerMeter;
        _poleCountsPerRadian = profile.PoleCountsPerRevolution / FloatMath.TwoPi;
        if (!countsZeroAtOrigin)
        {
            _cartCountAtPowerOn = CartCount;
            _poleCountAtPowerOn = PoleCount;
        }
    }

    /// <summary>The simulated mechanics.</summary>
    public IPlant Plant { get; }

    /// <summary>Cart encoder reading: the plant's x in whole counts (rounded, 0 at x = 0).</summary>
    public long CartCount => CountsOf(Plant.State.X, _cartCountsPerMeter);

    /// <summary>Pole encoder reading: the plant's theta in whole counts (rounded), 0 upright.</summary>
    public long PoleCount => CountsOf(Plant.State.Theta, _poleCountsPerRadian);

    /// <summary>The reality effects of this rig; null on the ideal rig.</summary>
    public RealityEffects? Reality => _reality;

    /// <summary>The random force on the cart now, N (reality effects; 0 on the ideal rig).</summary>
    public double RandomForceNewtons => _randomForce;

    private static long CountsOf(float value, float countsPerUnit) => (long)Math.Round(value * (double)countsPerUnit);

    /// <summary>Plant integration steps per control period of <paramref name="controlPeriodSeconds"/>.</summary>
    public int StepsPerControlPeriod(double controlPeriodSeconds) => (int)Math.Round(controlPeriodSeconds / Plant.StepSeconds);

    /// <summary>The duty the drive is applying now (the controller's, delayed by the actuation delay).</summary>
    public float Duty => _duty;

    /// <summary>Injected fault: the E-stop reads as pressed.</summary>
    public bool EmergencyStopPressed { get; set; }

    /// <summary>Injected fault: both limit switches read as tripped (e.g. a cut wire on normally-closed switches).</summary>
    public bool LimitSwitchWireCut { get; set; }

    /// <summary>Injected fault: counts added to the cart encoder's reading (a glitch).</summary>
    public long CartEncoderGlitchCounts { get; set; }

    /// <summary>Injected disturbance: a force on the cart, N, on top of the drive's.</summary>
    public float DisturbanceForceNewtons { get; set; }

    /// <inheritdoc />
    public void Read(ref SensorReading reading)
    {
        CartPoleState state = Plant.State;
        CartPoleState sensed = SensedState();
        reading.CartCount = CountsOf(sensed.X, _cartCountsPerMeter) - _cartCountAtPowerOn + CartEncoderGlitchCounts;
        reading.PoleCount = CountsOf(sensed.Theta, _poleCountsPerRadian) - _poleCountAtPowerOn;
        reading.NegativeLimitTripped = LimitSwitchWireCut || state.X <= -_switchPosition;
        reading.PositiveLimitTripped = LimitSwitchWireCut || state.X >= _switchPosition;
        reading.EmergencyStopPressed = EmergencyStopPressed;
    }

    /// <inheritdoc />
    public void SetDuty(float signedDuty)
    {
        float duty = float.IsNaN(signedDuty) ? 0f : Math.Clamp(signedDuty, -1f, 1f);
        if (_pendingDuties.Length == 0)
        {
            _duty = duty;
            return;
        }

        // Called once per control period: the duty set now reaches the drive that many periods later.
        _duty = _pendingDuties[_pendingIndex];
        _pendingDuties[_pendingIndex] = duty;
        _pendingIndex = (_pendingIndex + 1) % _pendingDuties.Length;
    }

    /// <summary>Advances the plant by one integration step with the drive's force at the present duty.</summary>
    public void Step()
    {
        if (_drive is null)
        {
            Plant.Step(DriveForceNewtons() + DisturbanceForceNewtons);
            return;
        }

        double dt = Plant.StepSeconds;
        double drive = _drive.Step(_duty, Plant.State.XDot, dt);

        // Ornstein-Uhlenbeck force: stationary standard deviation sigma, correlation time T.
        double correlation = _reality!.DisturbanceCorrelationSeconds;
        _randomForce += -_randomForce * dt / correlation
            + _reality.DisturbanceForceNewtons * Math.Sqrt(2 * dt / correlation) * _noise!.NextGaussian();
        Plant.Step((float)(drive + _randomForce + DisturbanceForceNewtons));
        _historyIndex = (_historyIndex + 1) % _history!.Length;
        _history[_historyIndex] = Plant.State;
        _historyCount = Math.Min(_historyCount + 1, _history.Length);
    }

    /// <summary>
    /// The state the sensors see now: the plant's, or on a rig with reality effects the one of
    /// latency plus a random jitter (whole plant steps) ago, as far back as the run goes.
    /// </summary>
    public CartPoleState SensedState()
    {
        if (_history is null)
        {
            return Plant.State;
        }

        int age = _latencySteps + (_jitterSteps > 0 ? (int)(_noise!.NextUInt32() % (uint)(_jitterSteps + 1)) : 0);
        if (age == 0 || _historyCount == 0)
        {
            return Plant.State;
        }

        age = Math.Min(age, _historyCount - 1);
        return _history[(_historyIndex - age + _history.Length) % _history.Length];
    }

    /// <summary>The ideal rig's drive force now, N: the profile's dead zone, then its motor model at the cart's speed.</summary>
    private float DriveForceNewtons()
    {
        float magnitude = Math.Abs(_duty);
        float deadband = _motor.DeadbandDuty;
        float effective = magnitude <= deadband ? 0f : Math.Sign(_duty) * (magnitude - deadband) / (1f - deadband);
        return _motor.ForceNewtons(effective, Plant.State.XDot);
    }
}
