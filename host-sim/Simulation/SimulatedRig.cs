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
public sealed class SimulatedRig : IRigSensors, IMotorDriver
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

    /// <param name="profile">The rig; its parameters and drive are the plant's truth.</param>
    /// <param name="initialState">True state at power-on.</param>
    /// <param name="countsZeroAtOrigin">
    /// True: the encoders read 0 at x = 0 and theta = 0 (a rig already homed and calibrated).
    /// False: they read 0 wherever the rig was at power-on, as real incremental encoders do.
    /// </param>
    /// <param name="actuationDelayTicks">Control periods between <see cref="SetDuty"/> and the drive applying the duty.</param>
    public SimulatedRig(RigProfile profile, CartPoleState initialState, bool countsZeroAtOrigin, int actuationDelayTicks = 0)
        : this(profile, new SimulatedPlant(profile, initialState), countsZeroAtOrigin, actuationDelayTicks)
    {
    }

    /// <summary>The rig around <paramref name="plant"/>, which starts at the rig's power-on state.</summary>
    /// <inheritdoc cref="SimulatedRig(RigProfile, CartPoleState, bool, int)"/>
    public SimulatedRig(RigProfile profile, IPlant plant, bool countsZeroAtOrigin, int actuationDelayTicks = 0)
    {
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
    public long CartCount => (long)Math.Round(Plant.State.X * (double)_cartCountsPerMeter);

    /// <summary>Pole encoder reading: the plant's theta in whole counts (rounded), 0 upright.</summary>
    public long PoleCount => (long)Math.Round(Plant.State.Theta * (double)_poleCountsPerRadian);

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
        reading.CartCount = CartCount - _cartCountAtPowerOn + CartEncoderGlitchCounts;
        reading.PoleCount = PoleCount - _poleCountAtPowerOn;
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
        Plant.Step(DriveForceNewtons() + DisturbanceForceNewtons);
    }

    /// <summary>The force the drive puts on the cart now, N: dead zone, then the motor model at the cart's speed.</summary>
    public float DriveForceNewtons()
    {
        float magnitude = Math.Abs(_duty);
        float deadband = _motor.DeadbandDuty;
        float effective = magnitude <= deadband ? 0f : Math.Sign(_duty) * (magnitude - deadband) / (1f - deadband);
        return _motor.ForceNewtons(effective, Plant.State.XDot);
    }
}
