namespace EmbeddedMpc.Core.Model
{
    /// <summary>
    /// A named rig: its physical parameters, its sensor resolution and its control period.
    /// The built-in profiles are in <see cref="RigProfiles"/>; their sources are documented in
    /// hardware/README.md.
    /// </summary>
    public sealed class RigProfile
    {
        /// <summary>Creates a profile; the parameters are validated here.</summary>
        /// <param name="name">Short lower-case name used on the command line, e.g. "esp32-rig".</param>
        /// <param name="description">One line saying where the numbers come from.</param>
        /// <param name="parameters">Physical parameters (validated, then copied).</param>
        /// <param name="cartCountsPerMeter">Cart encoder counts per metre of travel; 0 for an exact (unquantized) measurement.</param>
        /// <param name="poleCountsPerRevolution">Pole encoder counts per revolution; 0 for an exact measurement.</param>
        /// <param name="controlPeriodSeconds">Control period, s; [0.001, 1].</param>
        /// <exception cref="System.ArgumentException">A value is outside its range.</exception>
        public RigProfile(string name, string description, CartPoleParameters parameters, float cartCountsPerMeter, float poleCountsPerRevolution, float controlPeriodSeconds)
        {
            Validation.RequireNotNull(name, nameof(name));
            Validation.RequireNotNull(parameters, nameof(parameters));
            parameters.Validate();
            Validation.RequireInRange(cartCountsPerMeter, 0f, 1e7f, nameof(cartCountsPerMeter));
            Validation.RequireInRange(poleCountsPerRevolution, 0f, 1e7f, nameof(poleCountsPerRevolution));
            Validation.RequireInRange(controlPeriodSeconds, 0.001f, 1f, nameof(controlPeriodSeconds));
            Name = name;
            Description = description;
            _parameters = parameters.Clone();
            CartCountsPerMeter = cartCountsPerMeter;
            PoleCountsPerRevolution = poleCountsPerRevolution;
            ControlPeriodSeconds = controlPeriodSeconds;
        }

        private readonly CartPoleParameters _parameters;

        /// <summary>Short name used on the command line.</summary>
        public string Name { get; }

        /// <summary>Where the numbers come from.</summary>
        public string Description { get; }

        /// <summary>A fresh copy of the physical parameters (safe to modify).</summary>
        public CartPoleParameters CopyParameters() => _parameters.Clone();

        /// <summary>Cart encoder counts per metre; 0 means the position is measured exactly.</summary>
        public float CartCountsPerMeter { get; }

        /// <summary>Pole encoder counts per revolution; 0 means the angle is measured exactly.</summary>
        public float PoleCountsPerRevolution { get; }

        /// <summary>Control period, s (0.02 s = 50 Hz for the built-in profiles).</summary>
        public float ControlPeriodSeconds { get; }
    }
}
