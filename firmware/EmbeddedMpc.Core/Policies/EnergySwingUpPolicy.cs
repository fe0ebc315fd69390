using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Policies
{
    /// <summary>
    /// Energy-pumping swing-up (Åström and Furuta, Automatica 36(2), 2000), the non-sampling baseline.
    /// With the pole's energy E = J thetaDot^2 / 2 + m g l (cos theta - 1) (0 upright at rest),
    /// dE/dt = -m l cos(theta) thetaDot xDDot, so the cart acceleration
    /// <code>
    ///   a = sat( k_E (E / (m g l) - margin) sign(thetaDot cos theta) ) - k_x x - k_v xDot
    /// </code>
    /// pumps E toward 0 while a PD term keeps the cart near the centre. The acceleration becomes a
    /// command through the drive: u = ((M + m) a + k_emf xDot) / F_stall. A stabilizer (e.g.
    /// <see cref="LqrPolicy"/>) must take over near upright: the supervisor's Balance mode does that.
    /// </summary>
    public sealed class EnergySwingUpPolicy : IPolicy
    {
        private readonly float _inertia;
        private readonly float _gravityTorque;
        private readonly float _totalMass;
        private readonly float _stallForce;
        private readonly float _backEmfDamping;
        private readonly float _energyGain;
        private readonly float _maxAcceleration;
        private readonly float _positionGain;
        private readonly float _velocityGain;

        /// <param name="model">The planner's model.</param>
        /// <param name="drive">The drive, or null for an ideal force source of the model's force limit.</param>
        /// <param name="energyGain">k_E, m/s² per unit of energy normalized by m g l; (0, 1e4].</param>
        /// <param name="maxAccelerationMetersPerSecondSquared">Saturation of the pumping term, m/s²; (0, 1000].</param>
        /// <param name="positionGain">k_x, 1/s²; [0, 1e4].</param>
        /// <param name="velocityGain">k_v, 1/s; [0, 1e4].</param>
        /// <exception cref="System.ArgumentException">An argument is out of range.</exception>
        public EnergySwingUpPolicy(CartPoleModel model, MotorParameters drive, float energyGain, float maxAccelerationMetersPerSecondSquared, float positionGain, float velocityGain)
        {
            Validation.RequireNotNull(model, nameof(model));
            Validation.RequireAbove(energyGain, 0f, 1e4f, nameof(energyGain));
            Validation.RequireAbove(maxAccelerationMetersPerSecondSquared, 0f, 1000f, nameof(maxAccelerationMetersPerSecondSquared));
            Validation.RequireInRange(positionGain, 0f, 1e4f, nameof(positionGain));
            Validation.RequireInRange(velocityGain, 0f, 1e4f, nameof(velocityGain));
            CartPoleParameters p = model.Parameters;
            _inertia = p.PoleInertiaAboutPivotKilogramSquareMeters;
            _gravityTorque = p.PoleMassKilograms * p.GravityMetersPerSecondSquared * p.PivotToCenterOfMassMeters;
            _totalMass = p.CartMassKilograms + p.PoleMassKilograms;
            _stallForce = p.MaxForceNewtons;
            if (drive != null)
            {
                drive.Validate();
                _stallForce = drive.StallForcePerDutyNewtons();
                _backEmfDamping = drive.BackEmfDampingNewtonSecondsPerMeter();
            }

            _energyGain = energyGain;
            _maxAcceleration = maxAccelerationMetersPerSecondSquared;
            _positionGain = positionGain;
            _velocityGain = velocityGain;
        }

        /// <summary>The pumping aims this fraction of m g l above the upright energy.</summary>
        public const float EnergyMarginFraction = 0.05f;

        /// <summary>Minus the pole's energy relative to upright at rest, J (last call): 0 when pumped up.</summary>
        public float LastPlanCost { get; private set; }

        /// <inheritdoc />
        public int LastModelSteps => 0;

        /// <inheritdoc />
        public float ComputeAction(ref CartPoleState state)
        {
            float cosTheta = FloatMath.Cos(state.Theta);
            float energy = 0.5f * _inertia * state.ThetaDot * state.ThetaDot + _gravityTorque * (cosTheta - 1f);
            LastPlanCost = -energy;
            // Normalize by m g l (hanging at rest is -2) and aim a little above the upright energy so that
            // friction does not leave the pole short of the top.
            float normalizedEnergy = energy / _gravityTorque - EnergyMarginFraction;
            float direction = state.ThetaDot * cosTheta;
            // At rest hanging straight down, sign(0) would never start the swing: kick toward +x.
            float sign = direction > 0f ? 1f : (direction < 0f ? -1f : -1f);
            float pump = FloatMath.Clamp(_energyGain * normalizedEnergy * sign, -_maxAcceleration, _maxAcceleration);
            float acceleration = pump - _positionGain * state.X - _velocityGain * state.XDot;
            float command = (_totalMass * acceleration + _backEmfDamping * state.XDot) / _stallForce;
            return FloatMath.Clamp(command, -1f, 1f);
        }

        /// <inheritdoc />
        public void Reset()
        {
            LastPlanCost = 0f;
        }
    }
}
