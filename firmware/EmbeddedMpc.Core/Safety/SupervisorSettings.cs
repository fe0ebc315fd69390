using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Safety
{
    /// <summary>Limits and thresholds of the <see cref="Supervisor"/>; validated by its constructor.</summary>
    public sealed class SupervisorSettings
    {
        /// <summary>Usable track half-length L, m: beyond |x| = L the supervisor faults; (0, 100].</summary>
        public float TrackHalfLengthMeters { get; set; }

        /// <summary>The limit switches sit at x = +/-(L + offset), m; [0, 1].</summary>
        public float LimitSwitchOffsetMeters { get; set; }

        /// <summary>Force of the drive at full command and standstill, N (braking plans with it); (0, 10000].</summary>
        public float MaxForceNewtons { get; set; }

        /// <summary>Mass that the drive accelerates (cart plus pole), kg; (0, 1000].</summary>
        public float MovingMassKilograms { get; set; }

        /// <summary>Control period, s; [0.001, 1].</summary>
        public float ControlPeriodSeconds { get; set; } = 0.02f;

        /// <summary>
        /// Fraction of the drive's stall deceleration (MaxForce / mass) that braking is planned with; the
        /// rest is margin for the pole's reaction force on the cart and for mass the profile does not
        /// count (the motor's reflected rotor inertia). Reverse duty on a moving cart adds back-EMF
        /// braking on top, which only shortens the stop; (0, 1].
        /// </summary>
        public float BrakingForceFraction { get; set; } = 0.8f;

        /// <summary>Braking starts when the stopping point reaches L minus this margin, m; [0, L).</summary>
        public float BrakingMarginMeters { get; set; } = 0.02f;

        /// <summary>Cart speed while homing, m/s; (0, 1].</summary>
        public float HomingSpeedMetersPerSecond { get; set; } = 0.1f;

        /// <summary>Gain of the homing speed loop, normalized command per m/s of speed error; (0, 100].</summary>
        public float HomingGainPerMeterPerSecond { get; set; } = 5f;

        /// <summary>Largest normalized command used while homing; (0, 1].</summary>
        public float HomingMaxCommand { get; set; } = 0.4f;

        /// <summary>Homing fails if it takes longer, s; (0, 600].</summary>
        public float HomingTimeoutSeconds { get; set; } = 30f;

        /// <summary>Homing ends when the cart is this close to the centre and nearly still, m; (0, 0.1].</summary>
        public float HomingCentreToleranceMeters { get; set; } = 0.01f;

        /// <summary>SwingUp hands over to Balance inside this |theta|, rad; (0, 1.5].</summary>
        public float BalanceEntryAngleRadians { get; set; } = 0.5f;

        /// <summary>... and inside this |thetaDot|, rad/s; (0, 100].</summary>
        public float BalanceEntryAngularVelocity { get; set; } = 4f;

        /// <summary>Balance falls back to SwingUp beyond this |theta|, rad; [entry angle, pi].</summary>
        public float BalanceExitAngleRadians { get; set; } = 0.8f;

        /// <summary>Consecutive planner overruns that fault the rig (when <see cref="FaultsOnPlannerOverrun"/>); [1, 1000].</summary>
        public int MaxOverrunStreak { get; set; } = 5;

        /// <summary>
        /// A swing-up that has not been caught within this time faults the rig (Whirl), s; 0 for no limit;
        /// [0, 3600]. Caught means Balance held for <see cref="CaughtSeconds"/>: a pole that enters
        /// Balance for a moment while whirling through upright keeps the clock running.
        /// </summary>
        public float SwingUpTimeoutSeconds { get; set; } = DefaultSwingUpTimeoutSeconds;

        /// <summary>Default of <see cref="SwingUpTimeoutSeconds"/>, s: the planners that swing up at all do so within 5 s from hanging at rest.</summary>
        public const float DefaultSwingUpTimeoutSeconds = 10f;

        /// <summary>Balance held this long counts as caught and restarts the swing-up clock, s; (0, 60].</summary>
        public float CaughtSeconds { get; set; } = 1f;

        /// <summary>
        /// A pole turning faster than this in SwingUp or Balance faults the rig (Whirl), rad/s; 0 for no
        /// limit; [0, 1000]. <see cref="ForProfile"/> sets it to <see cref="PoleSpeedMargin"/> times the speed
        /// with which a pole passes hanging when it has just the energy to reach upright.
        /// </summary>
        public float MaxPoleSpeedRadiansPerSecond { get; set; }

        /// <summary>Margin of <see cref="MaxPoleSpeedRadiansPerSecond"/> over the speed a swing-up needs at the bottom.</summary>
        public const float PoleSpeedMargin = 1.5f;

        /// <summary>
        /// The pole's angular velocity at hanging when its energy just reaches upright:
        /// J w^2 / 2 = 2 m g l, so w = sqrt(4 m g l / J) (J about the pivot), rad/s.
        /// </summary>
        public static float SwingUpSpeedRadiansPerSecond(CartPoleParameters parameters) =>
            FloatMath.Sqrt(4f * parameters.PoleMassKilograms * parameters.GravityMetersPerSecondSquared * parameters.PivotToCenterOfMassMeters
                / parameters.PoleInertiaAboutPivotKilogramSquareMeters);

        /// <summary>
        /// Whether <see cref="MaxOverrunStreak"/> planner overruns in a row fault the rig (PlannerOverrun). True
        /// (the default) wherever the planning time is the device's own: on the rig and on HIL's real-time
        /// virtual device. The simulator turns it off: its clock is the host's wall clock, whose stalls on a
        /// busy machine say nothing about the device (the device's budget is checked by the interpreter cost
        /// measure), so overruns there are counted and logged but never change a seeded run. Either value is valid.
        /// </summary>
        public bool FaultsOnPlannerOverrun { get; set; } = true;

        /// <summary>Settings for <paramref name="profile"/> with the defaults above.</summary>
        public static SupervisorSettings ForProfile(RigProfile profile)
        {
            CartPoleParameters parameters = profile.CopyParameters();
            return new SupervisorSettings
            {
                TrackHalfLengthMeters = parameters.TrackHalfLengthMeters,
                LimitSwitchOffsetMeters = profile.LimitSwitchOffsetMeters,
                MaxForceNewtons = parameters.MaxForceNewtons,
                MovingMassKilograms = parameters.CartMassKilograms + parameters.PoleMassKilograms,
                ControlPeriodSeconds = profile.ControlPeriodSeconds,
                MaxPoleSpeedRadiansPerSecond = PoleSpeedMargin * SwingUpSpeedRadiansPerSecond(parameters),
            };
        }

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireAbove(TrackHalfLengthMeters, 0f, 100f, nameof(TrackHalfLengthMeters));
            Validation.RequireInRange(LimitSwitchOffsetMeters, 0f, 1f, nameof(LimitSwitchOffsetMeters));
            Validation.RequireAbove(MaxForceNewtons, 0f, 10000f, nameof(MaxForceNewtons));
            Validation.RequireAbove(MovingMassKilograms, 0f, 1000f, nameof(MovingMassKilograms));
            Validation.RequireInRange(ControlPeriodSeconds, 0.001f, 1f, nameof(ControlPeriodSeconds));
            Validation.RequireAbove(BrakingForceFraction, 0f, 1f, nameof(BrakingForceFraction));
            Validation.RequireInRange(BrakingMarginMeters, 0f, TrackHalfLengthMeters * 0.99f, nameof(BrakingMarginMeters));
            Validation.RequireAbove(HomingSpeedMetersPerSecond, 0f, 1f, nameof(HomingSpeedMetersPerSecond));
            Validation.RequireAbove(HomingGainPerMeterPerSecond, 0f, 100f, nameof(HomingGainPerMeterPerSecond));
            Validation.RequireAbove(HomingMaxCommand, 0f, 1f, nameof(HomingMaxCommand));
            Validation.RequireAbove(HomingTimeoutSeconds, 0f, 600f, nameof(HomingTimeoutSeconds));
            Validation.RequireAbove(HomingCentreToleranceMeters, 0f, 0.1f, nameof(HomingCentreToleranceMeters));
            Validation.RequireAbove(BalanceEntryAngleRadians, 0f, 1.5f, nameof(BalanceEntryAngleRadians));
            Validation.RequireAbove(BalanceEntryAngularVelocity, 0f, 100f, nameof(BalanceEntryAngularVelocity));
            Validation.RequireInRange(BalanceExitAngleRadians, BalanceEntryAngleRadians, 3.2f, nameof(BalanceExitAngleRadians));
            Validation.RequireInRange(MaxOverrunStreak, 1, 1000, nameof(MaxOverrunStreak));
            Validation.RequireInRange(SwingUpTimeoutSeconds, 0f, 3600f, nameof(SwingUpTimeoutSeconds));
            Validation.RequireAbove(CaughtSeconds, 0f, 60f, nameof(CaughtSeconds));
            Validation.RequireInRange(MaxPoleSpeedRadiansPerSecond, 0f, 1000f, nameof(MaxPoleSpeedRadiansPerSecond));
        }
    }
}
