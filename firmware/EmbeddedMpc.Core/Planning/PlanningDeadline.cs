using EmbeddedMpc.Core.Hardware;

namespace EmbeddedMpc.Core.Planning
{
    /// <summary>
    /// The time a planner may still take in this control tick (anytime planning). The control loop arms it
    /// with its planning budget when planning starts; an optimizer asks <see cref="HasTimeForAnotherStep"/>
    /// before each unit of work (a rollout, an iteration) and, when it says no, stops and keeps the best
    /// plan it has. Allocates nothing after construction.
    /// </summary>
    /// <remarks>
    /// A unit may start only if it would end before the deadline, judged by the longest interval between
    /// two checks so far in this tick: now + longest &lt;= end. The first unit of a tick starts if the deadline
    /// has not passed yet, so a tick does at least one unit of work unless its planning began late; a unit
    /// longer than all before it in the tick, or a first unit longer than the time left, can still end past the
    /// deadline (the cost measure keeps planners whose ticks do not fit off the device). Once it has said no,
    /// it says no until the next <see cref="Start"/>. Not armed, it always says yes: planning is then bounded
    /// by its sizes alone.
    /// </remarks>
    public sealed class PlanningDeadline
    {
        private readonly IMicrosecondClock _clock;
        private long _endMicroseconds;
        private long _lastCheckMicroseconds;
        private long _longestStepMicroseconds;
        private bool _armed;
        private bool _reached;
        private bool _checked; // a check happened since Start: the next interval is a unit of work

        /// <param name="clock">The clock the budget is measured with (the control loop's).</param>
        /// <exception cref="System.ArgumentException">The clock is null.</exception>
        public PlanningDeadline(IMicrosecondClock clock)
        {
            Validation.RequireNotNull(clock, nameof(clock));
            _clock = clock;
        }

        /// <summary>Whether the deadline stopped planning since the last <see cref="Start"/>.</summary>
        public bool Reached => _reached;

        /// <summary>Whether a budget is armed.</summary>
        public bool IsArmed => _armed;

        /// <summary>
        /// Arms the deadline: planning started at <paramref name="startMicroseconds"/> (read from the clock)
        /// and may take <paramref name="budgetMicroseconds"/>.
        /// </summary>
        public void Start(long startMicroseconds, long budgetMicroseconds)
        {
            _endMicroseconds = startMicroseconds + budgetMicroseconds;
            _lastCheckMicroseconds = startMicroseconds;
            _longestStepMicroseconds = 0;
            _reached = false;
            _checked = false;
            _armed = true;
        }

        /// <summary>Disarms the deadline: <see cref="HasTimeForAnotherStep"/> says yes until the next <see cref="Start"/>.</summary>
        public void Disarm()
        {
            _armed = false;
            _reached = false;
        }

        /// <summary>Whether <paramref name="deadline"/> is set and allows no further unit of work (see <see cref="HasTimeForAnotherStep"/>).</summary>
        public static bool StopsNow(PlanningDeadline deadline)
        {
            return deadline != null && !deadline.HasTimeForAnotherStep();
        }

        /// <summary>
        /// Whether another unit of work, as long as the longest since <see cref="Start"/>, ends before the
        /// deadline. Reads the clock once.
        /// </summary>
        public bool HasTimeForAnotherStep()
        {
            if (!_armed)
            {
                return true;
            }

            if (_reached)
            {
                return false;
            }

            long now = _clock.NowMicroseconds;
            if (_checked)
            {
                long step = now - _lastCheckMicroseconds;
                if (step > _longestStepMicroseconds)
                {
                    _longestStepMicroseconds = step;
                }
            }

            _checked = true;
            _lastCheckMicroseconds = now;
            if (now + _longestStepMicroseconds <= _endMicroseconds)
            {
                return true;
            }

            _reached = true;
            return false;
        }
    }
}
