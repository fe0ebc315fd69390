#nullable disable
using EmbeddedMpc.Core.Actuation;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.DeviceTests
{
    /// <summary>
    /// The pieces the device tests build the Core from: the project's ESP32 rig with small planner sizes
    /// (so a tick is quick even on the interpreter), and stand-ins for the hardware. Compiled into the
    /// nanoFramework test project and into the host tests alike, so C# 9 without generics or LINQ.
    /// </summary>
    public static class DeviceTestRig
    {
        /// <summary>CEM samples of the test planner.</summary>
        public const int Samples = 8;

        /// <summary>CEM iterations of the test planner.</summary>
        public const int Iterations = 2;

        /// <summary>Model steps per rollout of the test planner (20 ms each).</summary>
        public const int HorizonSteps = 10;

        /// <summary>Model steps one planning tick takes: samples x iterations x horizon.</summary>
        public const int ModelStepsPerTick = Samples * Iterations * HorizonSteps;

        /// <summary>The estimator the rig uses, without velocity filtering (weight 1) so tests can predict it.</summary>
        public static EncoderStateEstimator UnfilteredEstimator()
        {
            RigProfile profile = RigProfiles.Esp32Rig();
            return new EncoderStateEstimator(profile.CartCountsPerMeter, profile.PoleCountsPerRevolution, profile.ControlPeriodSeconds, 1f, 5f, 60f);
        }

        /// <summary>A CEM swing-up planner on the ESP32 rig's model with the sizes above, seed 1.</summary>
        public static RecedingHorizonController SmallCemPlanner()
        {
            RigProfile profile = RigProfiles.Esp32Rig();
            CartPoleParameters parameters = profile.CopyParameters();
            var rolloutSettings = new RolloutSettings
            {
                ControlPeriodSeconds = profile.ControlPeriodSeconds,
                ModelStepSeconds = 0.02f,
                HorizonSteps = HorizonSteps,
                StepsPerKnot = 1,
            };
            var rollout = new CartPoleRollout(new CartPoleModel(parameters), new SwingUpCost(new SwingUpCostSettings(), parameters.TrackHalfLengthMeters), rolloutSettings, profile.CopyMotor());
            var settings = new CemSettings
            {
                Samples = Samples,
                Horizon = rollout.KnotCount,
                Iterations = Iterations,
                Elites = 2,
                Seed = 1,
            };
            return new RecedingHorizonController(new CemOptimizer(settings, rollout), rollout, rollout.KnotsPerControlPeriod);
        }

        /// <summary>
        /// A whole control loop on stand-in hardware with the pole hanging still: homed, started, and
        /// swinging up (the planner runs on every tick) from the first tick on.
        /// </summary>
        public static ControlLoop SwingingUpLoop(HangingPoleSensors sensors, RecordingMotor motor)
        {
            RigProfile profile = RigProfiles.Esp32Rig();
            EncoderStateEstimator estimator = UnfilteredEstimator();
            estimator.CartZeroCount = sensors.CartCount;
            estimator.SetPoleHanging(sensors.PoleCount);
            var supervisor = new Supervisor(SupervisorSettings.ForProfile(profile), estimator);
            supervisor.MarkHomed();
            supervisor.AutoStart = true;
            RecedingHorizonController planner = SmallCemPlanner();
            var actuator = new MotorActuator(ActuationSettings.ForProfile(profile));
            return new ControlLoop(sensors, motor, new SteppingClock(), estimator, supervisor, planner, planner, actuator, profile.CopyMotor(), 10000000);
        }
    }

    /// <summary>Sensors of a rig at rest: fixed counts, every safety contact closed.</summary>
    public sealed class HangingPoleSensors : IRigSensors
    {
        /// <summary>Cart count returned by every read.</summary>
        public long CartCount = 5000;

        /// <summary>Pole count returned by every read.</summary>
        public long PoleCount = -700;

        /// <inheritdoc />
        public void Read(ref SensorReading reading)
        {
            reading.CartCount = CartCount;
            reading.PoleCount = PoleCount;
            reading.NegativeLimitTripped = false;
            reading.PositiveLimitTripped = false;
            reading.EmergencyStopPressed = false;
        }
    }

    /// <summary>A motor that remembers the last duty it was given.</summary>
    public sealed class RecordingMotor : IMotorDriver
    {
        /// <summary>The last signed duty set.</summary>
        public float LastDuty;

        /// <inheritdoc />
        public void SetDuty(float signedDuty)
        {
            LastDuty = signedDuty;
        }
    }

    /// <summary>A clock that moves on by one microsecond each time it is read (the planner never overruns).</summary>
    public sealed class SteppingClock : IMicrosecondClock
    {
        private long _now;

        /// <inheritdoc />
        public long NowMicroseconds
        {
            get
            {
                _now++;
                return _now;
            }
        }
    }
}
