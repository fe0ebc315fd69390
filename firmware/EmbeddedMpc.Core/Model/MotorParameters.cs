namespace EmbeddedMpc.Core.Model
{
    /// <summary>
    /// DC motor, gearbox and pulley that drive the cart, in SI units. With effective duty u in
    /// [-1, 1] (the PWM duty beyond the dead zone, rescaled), cart speed v, motor speed w = v G / r
    /// and winding current i = (V u - Ke w) / R, the force on the cart is F = Kt G i / r
    /// = F_stall u - k_emf v (inductance neglected: its time constant is well under a millisecond).
    /// A pure force source of F = Fmax d is V = 1, R = 1, Ke = 0, G = 1, r = 1, Kt = Fmax
    /// (<see cref="IdealForceSource"/>).
    /// </summary>
    public sealed class MotorParameters
    {
        /// <summary>H-bridge supply voltage, V; (0, 1000].</summary>
        public float SupplyVoltageVolts { get; set; }

        /// <summary>Motor torque constant Kt, N·m/A; (0, 1000].</summary>
        public float TorqueConstantNewtonMetersPerAmp { get; set; }

        /// <summary>Motor back-EMF constant Ke, V·s/rad (equal to Kt in SI units); [0, 1000].</summary>
        public float BackEmfVoltSecondsPerRadian { get; set; }

        /// <summary>Winding resistance R, ohm; (0, 1000].</summary>
        public float WindingResistanceOhms { get; set; }

        /// <summary>Gearbox ratio G (motor turns per output turn); (0, 10000].</summary>
        public float GearRatio { get; set; }

        /// <summary>Pulley (or pinion) radius r, m; (0, 10].</summary>
        public float PulleyRadiusMeters { get; set; }

        /// <summary>Smallest duty magnitude that moves the cart (static friction and driver dead time); [0, 0.5).</summary>
        public float DeadbandDuty { get; set; }

        /// <summary>A drive that produces exactly <paramref name="maxForceNewtons"/> times the duty, at any speed.</summary>
        public static MotorParameters IdealForceSource(float maxForceNewtons)
        {
            return new MotorParameters
            {
                SupplyVoltageVolts = 1f,
                TorqueConstantNewtonMetersPerAmp = maxForceNewtons,
                BackEmfVoltSecondsPerRadian = 0f,
                WindingResistanceOhms = 1f,
                GearRatio = 1f,
                PulleyRadiusMeters = 1f,
                DeadbandDuty = 0f,
            };
        }

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first parameter outside its range.</summary>
        public void Validate()
        {
            Validation.RequireAbove(SupplyVoltageVolts, 0f, 1000f, nameof(SupplyVoltageVolts));
            Validation.RequireAbove(TorqueConstantNewtonMetersPerAmp, 0f, 1000f, nameof(TorqueConstantNewtonMetersPerAmp));
            Validation.RequireInRange(BackEmfVoltSecondsPerRadian, 0f, 1000f, nameof(BackEmfVoltSecondsPerRadian));
            Validation.RequireAbove(WindingResistanceOhms, 0f, 1000f, nameof(WindingResistanceOhms));
            Validation.RequireAbove(GearRatio, 0f, 10000f, nameof(GearRatio));
            Validation.RequireAbove(PulleyRadiusMeters, 0f, 10f, nameof(PulleyRadiusMeters));
            Validation.RequireInRange(DeadbandDuty, 0f, 0.49f, nameof(DeadbandDuty));
        }

        /// <summary>A field-by-field copy.</summary>
        public MotorParameters Clone()
        {
            return new MotorParameters
            {
                SupplyVoltageVolts = SupplyVoltageVolts,
                TorqueConstantNewtonMetersPerAmp = TorqueConstantNewtonMetersPerAmp,
                BackEmfVoltSecondsPerRadian = BackEmfVoltSecondsPerRadian,
                WindingResistanceOhms = WindingResistanceOhms,
                GearRatio = GearRatio,
                PulleyRadiusMeters = PulleyRadiusMeters,
                DeadbandDuty = DeadbandDuty,
            };
        }

        /// <summary>Force per unit of effective duty at standstill, N: Kt G V / (R r).</summary>
        public float StallForcePerDutyNewtons()
        {
            return TorqueConstantNewtonMetersPerAmp * GearRatio * SupplyVoltageVolts / (WindingResistanceOhms * PulleyRadiusMeters);
        }

        /// <summary>
        /// Back-EMF damping of the drive at full duty, N·s/m: Kt Ke G^2 / (R r^2). At cart speed v the
        /// drive can push between -stall - k v and stall - k v.
        /// </summary>
        public float BackEmfDampingNewtonSecondsPerMeter()
        {
            return TorqueConstantNewtonMetersPerAmp * BackEmfVoltSecondsPerRadian * GearRatio * GearRatio
                / (WindingResistanceOhms * PulleyRadiusMeters * PulleyRadiusMeters);
        }

        /// <summary>Force that the effective duty <paramref name="effectiveDuty"/> (after the deadband) produces at cart speed <paramref name="cartSpeedMetersPerSecond"/>, N.</summary>
        public float ForceNewtons(float effectiveDuty, float cartSpeedMetersPerSecond)
        {
            float motorSpeed = cartSpeedMetersPerSecond * GearRatio / PulleyRadiusMeters;
            float current = (SupplyVoltageVolts * effectiveDuty - BackEmfVoltSecondsPerRadian * motorSpeed) / WindingResistanceOhms;
            return TorqueConstantNewtonMetersPerAmp * GearRatio * current / PulleyRadiusMeters;
        }

    }
}
