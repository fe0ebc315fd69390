using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Policies
{
    /// <summary>
    /// Excitation for system identification with the pole hanging: a PD loop makes the cart track a
    /// random-phase multisine position reference, so that the cart stays within the track while the
    /// drive, the cart and (through the cart's acceleration) the pendulum are shaken over a band of
    /// frequencies that contains the pendulum's natural frequency.
    /// <code>
    ///   r(t) = ramp(t) sum_i (A / n) sin(2 pi f_i t + phi_i),  f_i log-spaced in [f_low, f_high], phi_i uniform (seeded)
    ///   u    = clamp(k_p (r - x) + k_d (rDot - xDot), -1, 1)
    /// </code>
    /// |r| never exceeds A. ramp(t) rises linearly from 0 to 1 over the first second, so the reference
    /// starts at the cart. Time advances one control period per call of <see cref="ComputeAction"/>.
    /// Allocates nothing and throws nothing after construction.
    /// </summary>
    public sealed class ExcitationPolicy : IPolicy
    {
        /// <summary>Largest |reference| as a fraction of the usable track half-length (<see cref="ForProfile"/>).</summary>
        public const float AmplitudeTrackFraction = 0.45f;

        /// <summary>Lowest tone of <see cref="ForProfile"/>, Hz: slow, large cart moves (cart mass and damping).</summary>
        public const float LowFrequencyHertz = 0.2f;

        /// <summary>Highest tone of <see cref="ForProfile"/>, Hz: above the pendulum's natural frequency on the built-in rigs (0.6 to 0.9 Hz).</summary>
        public const float HighFrequencyHertz = 2.5f;

        /// <summary>Tones of the multisine of <see cref="ForProfile"/>.</summary>
        public const int ToneCount = 10;

        /// <summary>Position-loop stiffness of <see cref="ForProfile"/>, N/m (divided by the stall force to give command per metre).</summary>
        public const float PositionStiffnessNewtonsPerMeter = 60f;

        /// <summary>Position-loop damping of <see cref="ForProfile"/>, N·s/m (divided by the stall force to give command per m/s).</summary>
        public const float VelocityDampingNewtonSecondsPerMeter = 6f;

        /// <summary>The phase seed of the excitation of a run seeded <paramref name="runSeed"/> (`run --task excite --seed N`; a rig's Excite runs seed 1's).</summary>
        public static uint SeedForRun(uint runSeed)
        {
            return runSeed * 2246822519u + 11u;
        }

        /// <summary>
        /// The excitation for <paramref name="profile"/>, the one the simulator's `run --task excite` and a rig's
        /// Command Excite both run: amplitude <see cref="AmplitudeTrackFraction"/> of the track half-length, tones
        /// from <see cref="LowFrequencyHertz"/> to <see cref="HighFrequencyHertz"/>, gains from the drive's stall force.
        /// Start-up code (allocates).
        /// </summary>
        /// <exception cref="System.ArgumentException"><paramref name="profile"/> is null or its values give a gain out of range.</exception>
        public static ExcitationPolicy ForProfile(RigProfile profile, uint seed)
        {
            Validation.RequireNotNull(profile, nameof(profile));
            float stallForce = profile.CopyMotor().StallForcePerDutyNewtons();
            float track = profile.CopyParameters().TrackHalfLengthMeters;
            return new ExcitationPolicy(profile.ControlPeriodSeconds, AmplitudeTrackFraction * track, LowFrequencyHertz, HighFrequencyHertz,
                ToneCount, PositionStiffnessNewtonsPerMeter / stallForce, VelocityDampingNewtonSecondsPerMeter / stallForce, seed);
        }

        /// <summary>Duration of the linear fade-in of the reference, s.</summary>
        public const float RampSeconds = 1f;

        private readonly float _controlPeriodSeconds;
        private readonly float _positionGain;
        private readonly float _velocityGain;
        private readonly float _toneAmplitudeMeters;
        private readonly float[] _angularFrequencies; // [tones], rad/s
        private readonly float[] _phaseSteps;         // [tones], rad per control period
        private readonly float[] _initialPhases;      // [tones], rad
        private readonly float[] _phases;             // [tones], rad, kept in [0, 2 pi)
        private float _elapsedSeconds;

        /// <summary>Builds the excitation; the tone phases are drawn once from <paramref name="seed"/>.</summary>
        /// <param name="controlPeriodSeconds">Control period, s; [0.001, 1].</param>
        /// <param name="amplitudeMeters">Largest |reference|, m; (0, 100].</param>
        /// <param name="lowFrequencyHertz">Lowest tone, Hz; (0, 100].</param>
        /// <param name="highFrequencyHertz">Highest tone, Hz; [low, 100].</param>
        /// <param name="toneCount">Number of tones; [1, 64].</param>
        /// <param name="positionGain">k_p, command per metre; (0, 1000].</param>
        /// <param name="velocityGain">k_d, command per m/s; [0, 1000].</param>
        /// <param name="seed">Seed of the phases.</param>
        /// <exception cref="System.ArgumentException">A value is outside its range.</exception>
        public ExcitationPolicy(float controlPeriodSeconds, float amplitudeMeters, float lowFrequencyHertz, float highFrequencyHertz,
            int toneCount, float positionGain, float velocityGain, uint seed)
        {
            Validation.RequireInRange(controlPeriodSeconds, 0.001f, 1f, nameof(controlPeriodSeconds));
            Validation.RequireAbove(amplitudeMeters, 0f, 100f, nameof(amplitudeMeters));
            Validation.RequireAbove(lowFrequencyHertz, 0f, 100f, nameof(lowFrequencyHertz));
            Validation.RequireInRange(highFrequencyHertz, lowFrequencyHertz, 100f, nameof(highFrequencyHertz));
            Validation.RequireInRange(toneCount, 1, 64, nameof(toneCount));
            Validation.RequireAbove(positionGain, 0f, 1000f, nameof(positionGain));
            Validation.RequireInRange(velocityGain, 0f, 1000f, nameof(velocityGain));
            _controlPeriodSeconds = controlPeriodSeconds;
            _positionGain = positionGain;
            _velocityGain = velocityGain;
            _toneAmplitudeMeters = amplitudeMeters / toneCount;
            _angularFrequencies = new float[toneCount];
            _phaseSteps = new float[toneCount];
            _initialPhases = new float[toneCount];
            _phases = new float[toneCount];
            var random = new SeededRandom(seed);
            // Log-spaced tones: f_i = f_low (f_high / f_low)^(i / (n - 1)).
            float logRatio = FloatMath.Log(highFrequencyHertz / lowFrequencyHertz);
            for (int i = 0; i < toneCount; i++)
            {
                float fraction = toneCount == 1 ? 0f : i / (float)(toneCount - 1);
                float frequency = lowFrequencyHertz * FloatMath.Exp(logRatio * fraction);
                _angularFrequencies[i] = FloatMath.TwoPi * frequency;
                _phaseSteps[i] = _angularFrequencies[i] * controlPeriodSeconds;
                _initialPhases[i] = random.NextUniform(0f, FloatMath.TwoPi);
            }

            Reset();
        }

        /// <inheritdoc />
        public float LastPlanCost => 0f;

        /// <inheritdoc />
        public int LastModelSteps => 0;

        /// <summary>The position reference of the last call, m.</summary>
        public float LastReferenceMeters { get; private set; }

        /// <inheritdoc />
        public float ComputeAction(ref CartPoleState state)
        {
            float reference = 0f;
            float referenceRate = 0f;
            for (int i = 0; i < _phases.Length; i++)
            {
                reference += _toneAmplitudeMeters * FloatMath.Sin(_phases[i]);
                referenceRate += _toneAmplitudeMeters * _angularFrequencies[i] * FloatMath.Cos(_phases[i]);
                float next = _phases[i] + _phaseSteps[i];
                while (next >= FloatMath.TwoPi)
                {
                    next -= FloatMath.TwoPi;
                }

                _phases[i] = next;
            }

            // Fade in: d/dt (ramp r) = ramp rDot + r / RampSeconds while ramping.
            if (_elapsedSeconds < RampSeconds)
            {
                float ramp = _elapsedSeconds / RampSeconds;
                referenceRate = ramp * referenceRate + reference / RampSeconds;
                reference *= ramp;
            }

            _elapsedSeconds += _controlPeriodSeconds;
            LastReferenceMeters = reference;
            float command = _positionGain * (reference - state.X) + _velocityGain * (referenceRate - state.XDot);
            return FloatMath.Clamp(command, -1f, 1f);
        }

        /// <inheritdoc />
        public void Reset()
        {
            for (int i = 0; i < _phases.Length; i++)
            {
                _phases[i] = _initialPhases[i];
            }

            _elapsedSeconds = 0f;
            LastReferenceMeters = 0f;
        }
    }
}
