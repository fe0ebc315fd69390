using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Actuation
{
    /// <summary>Limits and compensation of <see cref="MotorActuator"/>; validated by its constructor.</summary>
    public sealed class ActuationSettings
    {
        /// <summary>
        /// <see cref="DeadbandCompensationFactor"/> for a profile's drive: a real drive's dead zone differs from the
        /// profile's figure from rig to rig (and by direction); compensating a fifth more than the figure lets a small
        /// command move the cart on most rigs instead of being eaten (measured in host-sim/BENCH.md, "Dead zone and dry
        /// friction in the actuation").
        /// </summary>
        public const float DefaultDeadbandCompensationFactor = 1.2f;

        /// <summary>
        /// <see cref="DryFrictionFeedForwardCommand"/> for a profile's drive, as a share of its dead zone: the profile's
        /// dead zone is the smallest duty that moves the cart, driver dead time and the cart's static friction together
        /// (<see cref="MotorParameters.DeadbandDuty"/>), and the planner's model has no Coulomb term, so two thirds of
        /// that figure are added to every command in its direction (0.04 of full command on esp32-rig; same source as
        /// <see cref="DefaultDeadbandCompensationFactor"/>).
        /// </summary>
        public const float DefaultDryFrictionShareOfDeadband = 0.667f;

        /// <summary>
        /// <see cref="BreakawayStepCommand"/> for a profile's drive with a dead zone: 0.05 of full command per tick
        /// lifts the feed-forward from the profile's 0.04 to above the largest stiction the harsh realistic plant draws
        /// (up to about 0.22 of full command with its weaker supply) within some 0.1 s of the cart sticking; 0.03 a tick
        /// measured the same, 0.01 and 0.02 no better (esp32-rig, harsh plant; host-sim/Plants/README.md, "Dry friction
        /// in the actuation").
        /// </summary>
        public const float DefaultBreakawayStepCommand = 0.05f;

        /// <summary>
        /// <see cref="MaxBreakawayCommand"/> for a profile's drive with a dead zone: with the profile's 0.04 it allows a
        /// feed-forward of 0.24 of full command, above the harsh plant's largest stiction; bounds of 0.15 and 0.25
        /// measured alike (same source as <see cref="DefaultBreakawayStepCommand"/>).
        /// </summary>
        public const float DefaultMaxBreakawayCommand = 0.2f;

        /// <summary>
        /// <see cref="BreakawayRestTicks"/> for a profile's drive: a cart that reverses passes through rest for a tick or
        /// two, which is no sign of stiction; with one tick the feed-forward also rose on the typical plant and cost
        /// 4 points of its swing-ups at one tick of delay (esp32-rig, 300 seeds); 3 to 5 ticks measured alike.
        /// </summary>
        public const int DefaultBreakawayRestTicks = 3;

        /// <summary>
        /// <see cref="RestSpeedMetersPerSecond"/> for a profile's drive: about one cart encoder count per 20 ms tick on
        /// esp32-rig (11,220 counts/m), so a cart held by stiction, whose filtered speed decays to zero, reads as at rest
        /// within two or three ticks, and one that moves by a count a tick does not.
        /// </summary>
        public const float DefaultRestSpeedMetersPerSecond = 0.01f;

        /// <summary>
        /// <see cref="BreakawayMinimumCommand"/> for a profile's drive: a cart held still by stiction under a command
        /// smaller than this is where the planner wants it (balanced, or waiting), not stuck.
        /// </summary>
        public const float DefaultBreakawayMinimumCommand = 0.03f;

        /// <summary>The drive as the controller believes it to be.</summary>
        public MotorParameters Motor { get; set; }

        /// <summary>Largest duty magnitude sent to the H-bridge; (0, 1].</summary>
        public float MaxDuty { get; set; } = 1f;

        /// <summary>Largest change of the signed duty from one tick to the next (slew limit); (0, 2].</summary>
        public float MaxDutyStepPerTick { get; set; } = 2f;

        /// <summary>The dead zone compensated, as a multiple of <see cref="MotorParameters.DeadbandDuty"/>; [0, 2]; 1 compensates the figure exactly.</summary>
        public float DeadbandCompensationFactor { get; set; } = 1f;

        /// <summary>Share of full command added to every command that is not zero, in its direction, to overcome the cart's dry friction; [0, 0.2].</summary>
        public float DryFrictionFeedForwardCommand { get; set; }

        /// <summary>
        /// Share of full command the dry-friction feed-forward rises by per tick while the cart stays at rest under a
        /// command (after <see cref="BreakawayRestTicks"/> such ticks); [0, 0.2]; 0 keeps the feed-forward fixed.
        /// </summary>
        public float BreakawayStepCommand { get; set; }

        /// <summary>Largest rise of the dry-friction feed-forward over <see cref="DryFrictionFeedForwardCommand"/>, share of full command; [0, 0.5].</summary>
        public float MaxBreakawayCommand { get; set; }

        /// <summary>Ticks at rest under a command (counted since the cart last moved) before the feed-forward rises; [1, 1000].</summary>
        public int BreakawayRestTicks { get; set; } = DefaultBreakawayRestTicks;

        /// <summary>Cart speeds below this count as at rest, m/s; (0, 1].</summary>
        public float RestSpeedMetersPerSecond { get; set; } = DefaultRestSpeedMetersPerSecond;

        /// <summary>Commands of at most this size leave the feed-forward as it is when the cart stays at rest; [0, 0.5].</summary>
        public float BreakawayMinimumCommand { get; set; } = DefaultBreakawayMinimumCommand;

        /// <summary>
        /// Settings for <paramref name="profile"/>'s drive with no slew limit, the default dead-zone margin, the
        /// dry-friction feed-forward in proportion to its dead zone and the default breakaway learning (an ideal force
        /// drive, with no dead zone, gets none of them).
        /// </summary>
        public static ActuationSettings ForProfile(RigProfile profile)
        {
            MotorParameters motor = profile.CopyMotor();
            return new ActuationSettings
            {
                Motor = motor,
                DeadbandCompensationFactor = DefaultDeadbandCompensationFactor,
                DryFrictionFeedForwardCommand = DefaultDryFrictionShareOfDeadband * motor.DeadbandDuty,
                BreakawayStepCommand = motor.DeadbandDuty > 0f ? DefaultBreakawayStepCommand : 0f,
                MaxBreakawayCommand = motor.DeadbandDuty > 0f ? DefaultMaxBreakawayCommand : 0f,
            };
        }

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireNotNull(Motor, nameof(Motor));
            Motor.Validate();
            Validation.RequireAbove(MaxDuty, 0f, 1f, nameof(MaxDuty));
            Validation.RequireAbove(MaxDutyStepPerTick, 0f, 2f, nameof(MaxDutyStepPerTick));
            Validation.RequireInRange(DeadbandCompensationFactor, 0f, 2f, nameof(DeadbandCompensationFactor));
            Validation.RequireInRange(DryFrictionFeedForwardCommand, 0f, 0.2f, nameof(DryFrictionFeedForwardCommand));
            Validation.RequireInRange(BreakawayStepCommand, 0f, 0.2f, nameof(BreakawayStepCommand));
            Validation.RequireInRange(MaxBreakawayCommand, 0f, 0.5f, nameof(MaxBreakawayCommand));
            Validation.RequireInRange(BreakawayRestTicks, 1, 1000, nameof(BreakawayRestTicks));
            Validation.RequireAbove(RestSpeedMetersPerSecond, 0f, 1f, nameof(RestSpeedMetersPerSecond));
            Validation.RequireInRange(BreakawayMinimumCommand, 0f, 0.5f, nameof(BreakawayMinimumCommand));
        }
    }
}
