namespace EmbeddedMpc.Core.Control
{
    /// <summary>
    /// Sizes of the catch check (<see cref="CatchCheck"/>): how far ahead the balance controller's catch is
    /// predicted and what it must achieve there for the swing-up to hand over. Validated once by
    /// <see cref="Validate"/>.
    /// </summary>
    public sealed class CatchCheckSettings
    {
        /// <summary>
        /// Control periods the catch is predicted over, one model step each; [1, 200]. 25 (0.5 s at 50 Hz)
        /// covers the part of a catch that decides it on the esp32 rig: the balance controller's first push,
        /// during which the cart runs at or near its top speed. 10 and 15 declined too few of the catches
        /// that later ran off the track.
        /// </summary>
        public int HorizonTicks { get; set; } = 25;

        /// <summary>
        /// How far inside the track's half-length the predicted cart must stay, m; [0, 1]. It allows for the
        /// model's error over the prediction and for the supervisor's braking margin in front of the track's end.
        /// </summary>
        public float CartMarginMeters { get; set; } = 0.05f;

        /// <summary>
        /// Largest pole angle from upright at the end of the prediction, rad; (0, 1.5]: a catch still this far
        /// from upright after the horizon is one the balance controller is losing.
        /// </summary>
        public float FinalAngleRadians { get; set; } = 0.3f;

        /// <summary>
        /// Ticks a declined hand-over waits before the next one while the pole stays inside the supervisor's entry
        /// angle and speed; [1, 10000]. A pole that leaves them (it passed the top) ends the wait at once. The wait
        /// keeps the check to one tick in this many; without a limit, a swing-up planner that holds the pole near
        /// upright by itself after a declined catch would never hand it over.
        /// </summary>
        public int RetryTicks { get; set; } = 25;

        /// <summary>An independent copy.</summary>
        public CatchCheckSettings Clone()
        {
            return new CatchCheckSettings
            {
                HorizonTicks = HorizonTicks,
                CartMarginMeters = CartMarginMeters,
                FinalAngleRadians = FinalAngleRadians,
                RetryTicks = RetryTicks,
            };
        }

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the first setting outside its range.</summary>
        public void Validate()
        {
            Validation.RequireInRange(HorizonTicks, 1, 200, nameof(HorizonTicks));
            Validation.RequireInRange(CartMarginMeters, 0f, 1f, nameof(CartMarginMeters));
            Validation.RequireAbove(FinalAngleRadians, 0f, 1.5f, nameof(FinalAngleRadians));
            Validation.RequireInRange(RetryTicks, 1, 10000, nameof(RetryTicks));
        }
    }
}
