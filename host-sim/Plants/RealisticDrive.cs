using System;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Plants;

/// <summary>
/// The H-bridge and motor of a rig with <see cref="RealityEffects"/>, in double precision: the duty
/// quantized to the PWM's resolution, the real dead zone and a weaker direction, the supply's offset
/// and its sag under current, and the winding current lagging the applied voltage by the electrical
/// time constant (integrated exactly over each plant step). The force is the profile's motor model
/// (<see cref="MotorParameters"/>: Kt, Ke, R, gear, pulley) driven by that current.
/// </summary>
public sealed class RealisticDrive
{
    private readonly RealityEffects _effects;
    private readonly double _supplyVolts;
    private readonly double _torqueConstant;
    private readonly double _backEmf;
    private readonly double _resistance;
    private readonly double _gearPerRadius;     // G / r, 1/m
    private readonly double _stallCurrent;
    private readonly double _pwmLevels;         // 2^bits - 1, or 0 for a continuous duty
    private double _current;

    public RealisticDrive(MotorParameters motor, RealityEffects effects)
    {
        ArgumentNullException.ThrowIfNull(motor);
        _effects = effects ?? throw new ArgumentNullException(nameof(effects));
        _supplyVolts = motor.SupplyVoltageVolts;
        _torqueConstant = motor.TorqueConstantNewtonMetersPerAmp;
        _backEmf = motor.BackEmfVoltSecondsPerRadian;
        _resistance = motor.WindingResistanceOhms;
        _gearPerRadius = (double)motor.GearRatio / motor.PulleyRadiusMeters;
        _stallCurrent = _supplyVolts / _resistance;
        _pwmLevels = effects.PwmBits > 0 ? Math.Pow(2, effects.PwmBits) - 1 : 0;
    }

    /// <summary>The winding current now, A.</summary>
    public double CurrentAmperes => _current;

    /// <summary>The duty the bridge really applies for <paramref name="duty"/>: quantized to the PWM's steps.</summary>
    public double QuantizedDuty(double duty) =>
        _pwmLevels > 0 ? Math.Round(Math.Clamp(duty, -1, 1) * _pwmLevels, MidpointRounding.AwayFromZero) / _pwmLevels : Math.Clamp(duty, -1, 1);

    /// <summary>Advances the current by <paramref name="stepSeconds"/> at <paramref name="duty"/> and cart speed; returns the force on the cart, N.</summary>
    public double Step(double duty, double cartSpeedMetersPerSecond, double stepSeconds)
    {
        double applied = QuantizedDuty(duty);
        double magnitude = Math.Abs(applied);
        double deadZone = _effects.DeadZoneDuty;
        double effective = magnitude <= deadZone ? 0 : Math.Sign(applied) * (magnitude - deadZone) / (1 - deadZone);
        if (effective < 0)
        {
            effective *= 1 - _effects.DirectionAsymmetry;
        }

        double volts = _supplyVolts * (_effects.SupplyFactor - _effects.SupplySagAtStall * Math.Abs(_current) / _stallCurrent);
        double motorSpeed = cartSpeedMetersPerSecond * _gearPerRadius;
        double steadyCurrent = (volts * effective - _backEmf * motorSpeed) / _resistance;
        double tau = _effects.ElectricalTimeConstantSeconds;
        _current = tau > 0 ? steadyCurrent + (_current - steadyCurrent) * Math.Exp(-stepSeconds / tau) : steadyCurrent;
        return _torqueConstant * _gearPerRadius * _current;
    }
}
