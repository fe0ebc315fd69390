using EmbeddedMpc.Core.Catalog;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Hil;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Protocol;

namespace EmbeddedMpc.Firmware.Hil
{
    /// <summary>
    /// The firmware's controller in HIL mode, for the Core's <see cref="HilDevice"/>: the loop of the rig
    /// (<see cref="ControlStack"/>) with HIL mode's configured CEM swing-up and LQR balance
    /// (<see cref="FirmwareSettings.HilPlanner"/>), wired to the link's sensors and
    /// motor, with the host's simulated encoder counts taken as they come (4 per quadrature cycle, no PCNT
    /// correction). A Hello rebuilds it as at power-on (Idle, not homed: the host's simulated rig homes
    /// first); a Configuration replaces the rig's parameters, encoder scales, control period and the
    /// planner's sizes and seed, and keeps the drive model and the switch offsets of the base profile
    /// (the protocol does not carry them). Uses the Core only (the host tests build it).
    /// </summary>
    internal sealed class HilController : IHilController
    {
        /// <summary>
        /// The most work HIL mode accepts, in model steps per second of control period: the CEM that HIL mode
        /// runs at the firmware's cem-lqr-esp32 sizes (Samples x HorizonSteps x Iterations of
        /// <see cref="PlannerDefinitions.CemLqrEsp32"/>, 640 model steps) per 20 ms period, i.e. 32,000. The
        /// board is given no more; a longer period allows proportionally more (ConfigurationRules.TickWorkLimit).
        /// </summary>
        public static readonly int ModelStepsPerSecond = ModelStepsPerSecondOf(PlannerDefinitions.CemLqrEsp32());

        private readonly RigProfile _baseProfile;
        private readonly IRigSensors _sensors;
        private readonly IMotorDriver _motor;
        private readonly IMicrosecondClock _clock;
        private RigProfile _profile;
        private CemSettings _planner; // Horizon in model steps
        private ControlLoop _loop;

        /// <summary>Builds the controller for <paramref name="baseProfile"/> with the firmware's planner sizes, as at power-on.</summary>
        /// <param name="baseProfile">The rig before any Configuration; it also supplies the drive model and switch offsets.</param>
        /// <param name="sensors">The link's sensors (<see cref="HilSensors"/>).</param>
        /// <param name="motor">The link's motor (<see cref="HilMotorDriver"/>).</param>
        /// <param name="clock">The clock planning time is measured with.</param>
        /// <exception cref="System.ArgumentException">The profile or a firmware setting is out of range.</exception>
        public HilController(RigProfile baseProfile, IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock)
        {
            _baseProfile = baseProfile;
            _sensors = sensors;
            _motor = motor;
            _clock = clock;
            _profile = baseProfile;
            _planner = ControlStack.DefaultPlannerSettings();
            _loop = ControlStack.Build(_profile, _planner, 1f, _sensors, _motor, _clock);
        }

        /// <inheritdoc />
        public ControlLoop Loop => _loop;

        /// <inheritdoc />
        public uint ControlPeriodMicroseconds => (uint)ControlStack.PeriodMicroseconds(_profile);

        /// <summary>The rig the controller believes in now.</summary>
        public RigProfile Profile => _profile;

        /// <summary>The planner's sizes and seed now (Horizon in model steps).</summary>
        public CemSettings Planner => _planner;

        /// <inheritdoc />
        public void PowerOn()
        {
            _loop = ControlStack.Build(_profile, _planner, 1f, _sensors, _motor, _clock);
        }

        /// <inheritdoc />
        /// <remarks>
        /// Besides the protocol's ranges (<see cref="ConfigurationRules.CheckRanges"/>): Samples x Horizon at
        /// most <see cref="FirmwareSettings.HilMaxPlannerSampleValues"/> (the heap), and the tick's work,
        /// Samples x Horizon x Iterations model steps, at most <see cref="ModelStepsPerSecond"/> per second of
        /// control period (<see cref="ConfigurationRules.CheckTickWork"/>). Horizon counts model steps of
        /// the cem-lqr-esp32 definition's model step, one knot each, as the simulator's cem-lqr
        /// sends it. Both checks come before anything is built.
        /// </remarks>
        public AckStatus Configure(ref ConfigurationMessage configuration, out AckDetail detail, out uint limit)
        {
            limit = 0;
            detail = ConfigurationRules.CheckRanges(ref configuration);
            if (detail != AckDetail.None)
            {
                return AckStatus.InvalidValue;
            }

            if ((long)configuration.Samples * configuration.Horizon > FirmwareSettings.HilMaxPlannerSampleValues)
            {
                detail = AckDetail.PlannerMemory;
                limit = FirmwareSettings.HilMaxPlannerSampleValues;
                return AckStatus.InvalidValue;
            }

            detail = ConfigurationRules.CheckTickWork(configuration.Samples, configuration.Horizon, configuration.Iterations, 1,
                configuration.ControlPeriodMicroseconds, ModelStepsPerSecond, out limit);
            if (detail != AckDetail.None)
            {
                return AckStatus.InvalidValue;
            }

            limit = 0;
            try
            {
                RigProfile profile = configuration.ToProfile(_baseProfile);
                var planner = new CemSettings();
                configuration.CopyPlannerTo(planner);
                planner.Result = CemResult.BestSample;
                planner.Validate();
                ControlLoop loop = ControlStack.Build(profile, planner, 1f, _sensors, _motor, _clock);
                _profile = profile;
                _planner = planner;
                _loop = loop;
                return AckStatus.Accepted;
            }
            catch (System.ArgumentException)
            {
                detail = AckDetail.Rejected;
                return AckStatus.InvalidValue;
            }
            catch (System.OutOfMemoryException)
            {
                detail = AckDetail.PlannerMemory;
                limit = FirmwareSettings.HilMaxPlannerSampleValues;
                return AckStatus.InvalidValue;
            }
        }

        private static int ModelStepsPerSecondOf(PlannerDefinition planner)
        {
            return (int)((long)planner.Samples * planner.HorizonSteps * planner.Iterations * 1000000L / FirmwareSettings.ControlPeriodMicroseconds);
        }
    }
}
