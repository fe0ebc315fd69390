namespace EmbeddedMpc.Core.Model
{
    /// <summary>
    /// A named rig: its physical parameters, its drive, its sensor resolution, where its limit
    /// switches and end stops sit, and its control period.
    /// The built-in profiles are in <see cref="RigProfiles"/>; their sources are documented in
    /// hardware/README.md.
    /// </summary>
    public sealed class RigProfile
    {
        /// <summary>Creates a profile; the parameters are validated here.</summary>
        /// <param name="name">Short lower-case name used on the command line, e.g. "esp32-rig".</param>
        /// <param name="description">One line saying where the numbers come from.</param>
        /// <param name="parameters">Physical parameters (validated, then copied).</param>
        /// <param name="motor">Motor, gearbox and pulley (validated, then copied).</param>
        /// <param name="cartCountsPerMeter">Cart encoder counts per metre of travel; 0 for an exact (unquantized) measurement.</param>
        /// <param name="poleCountsPerRevolution">Pole encoder counts per revolution; 0 for an exact measurement.</param>
        /// <param name="controlPeriodSeconds">Control period, s; [0.001, 1].</param>
        /// <param name="limitSwitchOffsetMeters">Distance of each limit switch beyond the usable track half-length, m; [0, 1].</param>
        /// <param name="endStopOffsetMeters">Distance of each mechanical end stop beyond the usable track half-length, m; [limit switch offset, 1].</param>
        /// <exception cref="System.ArgumentException">A value is outside its range.</exception>
        public RigProfile(string name, string description, CartPoleParameters parameters, MotorParameters motor, float cartCountsPerMeter, float poleCountsPerRevolution, float controlPeriodSeconds, float limitSwitchOffsetMeters, float endStopOffsetMeters)
        {
            Validation.RequireNotNull(name, nameof(name));
            Validation.RequireNotNull(parameters, nameof(parameters));
            parameters.Validate();
            Validation.RequireNotNull(motor, nameof(motor));
            motor.Validate();
            Validation.RequireInRange(limitSwitchOffsetMeters, 0f, 1f, nameof(limitSwitchOffsetMeters));
            Validation.RequireInRange(endStopOffsetMeters, limitSwitchOffsetMeters, 1f, nameof(endStopOffsetMeters));
            Validation.RequireInRange(cartCountsPerMeter, 0f, 1e7f, nameof(cartCountsPerMeter));
            Validation.RequireInRange(poleCountsPerRevolution, 0f, 1e7f, nameof(poleCountsPerRevolution));
            Validation.RequireInRange(controlPeriodSeconds, 0.001f, 1f, nameof(controlPeriodSeconds));
            Name = name;
            Description = description;
            _parameters = parameters.Clone();
            _motor = motor.Clone();
            LimitSwitchOffsetMeters = limitSwitchOffsetMeters;
            EndStopOffsetMeters = endStopOffsetMeters;
            CartCountsPerMeter = cartCountsPerMeter;
            PoleCountsPerRevolution = poleCountsPerRevolution;
            ControlPeriodSeconds = controlPeriodSeconds;
        }

        private readonly CartPoleParameters _parameters;
        private readonly MotorParameters _motor;

        /// <summary>Short name used on the command line.</summary>
        public string Name { get; }

        /// <summary>Where the numbers come from.</summary>
        public string Description { get; }

        /// <summary>A fresh copy of the physical parameters (safe to modify).</summary>
        public CartPoleParameters CopyParameters() => _parameters.Clone();

        /// <summary>A fresh copy of the drive's parameters (safe to modify).</summary>
        public MotorParameters CopyMotor() => _motor.Clone();

        /// <summary>Each limit switch sits this far beyond the usable track half-length, m.</summary>
        public float LimitSwitchOffsetMeters { get; }

        /// <summary>Each mechanical end stop sits this far beyond the usable track half-length, m.</summary>
        public float EndStopOffsetMeters { get; }

        /// <summary>Cart encoder counts per metre; 0 means the position is measured exactly.</summary>
        public float CartCountsPerMeter { get; }

        /// <summary>Pole encoder counts per revolution; 0 means the angle is measured exactly.</summary>
        public float PoleCountsPerRevolution { get; }

        /// <summary>Control period, s (0.02 s = 50 Hz for the built-in profiles).</summary>
        public float ControlPeriodSeconds { get; }
    }
}
