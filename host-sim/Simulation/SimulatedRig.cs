using System;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;

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
    {
        _pendingDuties = new float[actuationDelayTicks];
        Plant = new SimulatedPlant(profile, initialState);
        _motor = profile.CopyMotor();
        _switchPosition = profile.CopyParameters().TrackHalfLengthMeters + profile.LimitSwitchOffsetMeters;
        if (!countsZeroAtOrigin)
        {
            _cartCountAtPowerOn = Plant.CartCount;
            _poleCountAtPowerOn = Plant.PoleCount;
        }
    }

    /// <summary>The simulated mechanics.</summary>
    public SimulatedPlant Plant { get; }

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
        reading.CartCount = Plant.CartCount - _cartCountAtPowerOn + CartEncoderGlitchCounts;
        reading.PoleCount = Plant.PoleCount - _poleCountAtPowerOn;
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
