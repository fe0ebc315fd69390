using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Adaptation
{
    /// <summary>
    /// Online adaptation of the planner's model: each tick the control loop hands over the measured state
    /// and the command it applies; the filtered equations of motion (<see cref="CartPoleRegressor"/>) feed a
    /// bounded recursive least squares (<see cref="RecursiveLeastSquares"/>), and the estimate is written
    /// into the planner's <see cref="CartPoleModel"/> in place, so the next tick plans on it. The drive
    /// (stall force, back-EMF) is taken as known: it fixes the scale of every force.
    /// Allocates nothing after construction.
    /// </summary>
    /// <remarks>
    /// What it estimates: M + m, m l, J and b_c (as b_c + k_emf, k_emf known), each relative to the
    /// model's value at construction and kept in a box: M + m, m l and J within
    /// [<see cref="AdaptationSettings.LowerRelativeBound"/>, <see cref="AdaptationSettings.UpperRelativeBound"/>]
    /// of it, b_c between 0 and the upper bound; b_p stays the model's. One equation per tick, the cart's and
    /// the pole's in turn: half the arithmetic of both, which keeps the tick of icem-esp32 within the ESP32's
    /// planning budget (the host's `cost` command counts it), at the price of half the data. Equations whose regressor is shorter than
    /// <see cref="AdaptationSettings.ExcitationThreshold"/> (a pole balanced still, a cart at rest) change
    /// nothing, so noise alone does not move the estimate.
    /// </remarks>
    public sealed class OnlineModelAdaptation
    {
        private readonly CartPoleModel _model;
        private readonly CartPoleRegressor _regressor;
        private readonly RecursiveLeastSquares _leastSquares;
        private readonly float _driveDamping; // k_emf, N·s/m
        private readonly float _totalMassScale;      // kg: the prior's M + m (relative estimate 1)
        private readonly float _poleMassLengthScale; // kg·m: the prior's m l
        private readonly float _inertiaScale;        // kg·m²: the prior's J
        private readonly float _cartDampingScale;    // N·s/m: the unit of b_c + k_emf
        private int _updatedTicks;
        private bool _poleEquationsTurn;

        /// <param name="model">The planner's model; it is updated in place, its values at construction are the prior.</param>
        /// <param name="drive">The drive (known): its stall force and back-EMF damping.</param>
        /// <param name="periodSeconds">The control period, s; (0, 1].</param>
        /// <param name="settings">Forgetting, filter, dead zone, box; validated and copied.</param>
        /// <exception cref="System.ArgumentException">A setting or argument is outside its range.</exception>
        public OnlineModelAdaptation(CartPoleModel model, MotorParameters drive, float periodSeconds, AdaptationSettings settings)
        {
            Validation.RequireNotNull(model, nameof(model));
            Validation.RequireNotNull(drive, nameof(drive));
            Validation.RequireNotNull(settings, nameof(settings));
            drive.Validate();
            settings.Validate();
            _model = model;
            CartPoleParameters prior = model.Parameters;
            _driveDamping = drive.BackEmfDampingNewtonSecondsPerMeter();
            float totalMass = model.TotalMassKilograms;
            float massLength = model.PoleMassLengthKilogramMeters;
            float gravity = prior.GravityMetersPerSecondSquared;
            float cartDampingScale = prior.CartDampingNewtonSecondsPerMeter + _driveDamping;
            if (!(cartDampingScale > 0f))
            {
                // No damping at all in the prior (an ideal force source on a frictionless track): 1 N·s/m as the unit.
                cartDampingScale = 1f;
            }

            _regressor = new CartPoleRegressor(periodSeconds, settings.FilterTimeConstantSeconds, gravity, drive.StallForcePerDutyNewtons(), settings.CartEquationWeight,
                totalMass, massLength, prior.PoleInertiaAboutPivotKilogramSquareMeters, prior.PivotDampingNewtonMeterSecondsPerRadian, cartDampingScale);
            float deviation = settings.InitialRelativeStandardDeviation;
            _leastSquares = new RecursiveLeastSquares(CartPoleRegressor.ParameterCount, settings.ForgettingFactor, settings.ExcitationThreshold,
                deviation * deviation, settings.CovarianceCeilingFactor);
            float lower = settings.LowerRelativeBound;
            float upper = settings.UpperRelativeBound;
            _totalMassScale = _regressor.Scale(CartPoleRegressor.TotalMass);
            _poleMassLengthScale = _regressor.Scale(CartPoleRegressor.PoleMassLength);
            _inertiaScale = _regressor.Scale(CartPoleRegressor.Inertia);
            _cartDampingScale = _regressor.Scale(CartPoleRegressor.CartAndDriveDamping);
            _leastSquares.SetEstimate(CartPoleRegressor.TotalMass, 1f, lower, upper);
            _leastSquares.SetEstimate(CartPoleRegressor.PoleMassLength, 1f, lower, upper);
            _leastSquares.SetEstimate(CartPoleRegressor.Inertia, 1f, lower, upper);
            float cartDampingNow = (prior.CartDampingNewtonSecondsPerMeter + _driveDamping) / cartDampingScale;
            _leastSquares.SetEstimate(CartPoleRegressor.CartAndDriveDamping, cartDampingNow, _driveDamping / cartDampingScale, upper);
        }

        /// <summary>The model it adapts.</summary>
        public CartPoleModel Model => _model;

        /// <summary>The least squares, to read the relative estimate and its covariance.</summary>
        public RecursiveLeastSquares LeastSquares => _leastSquares;

        /// <summary>Ticks whose equations changed the model.</summary>
        public int UpdatedTicks => _updatedTicks;

        /// <summary>
        /// One tick: <paramref name="state"/> is the estimate measured at its start, <paramref name="command"/> the
        /// normalized command the drive holds until the next. Updates the model when the tick's equations
        /// excite it.
        /// </summary>
        public void Observe(ref CartPoleState state, float command)
        {
            if (!_regressor.Observe(state.X, state.XDot, state.Theta, state.ThetaDot, command))
            {
                return;
            }

            _poleEquationsTurn = !_poleEquationsTurn;
            bool updated = _poleEquationsTurn
                ? _leastSquares.Update(_regressor.PoleRow, _regressor.PoleMeasurement)
                : _leastSquares.Update(_regressor.CartRow, _regressor.CartMeasurement);
            if (updated)
            {
                _updatedTicks++;
                WriteModel();
            }
        }

        /// <summary>The drive stopped (not driving: idle, fault, homing finished): the next observation restarts the filters; the estimate is kept.</summary>
        public void Pause()
        {
            _regressor.Restart();
        }

        private void WriteModel()
        {
            RecursiveLeastSquares estimate = _leastSquares;
            float cartDamping = estimate.Estimate(CartPoleRegressor.CartAndDriveDamping) * _cartDampingScale - _driveDamping;
            _model.SetIdentifiedParameters(
                estimate.Estimate(CartPoleRegressor.TotalMass) * _totalMassScale,
                estimate.Estimate(CartPoleRegressor.PoleMassLength) * _poleMassLengthScale,
                estimate.Estimate(CartPoleRegressor.Inertia) * _inertiaScale,
                cartDamping > 0f ? cartDamping : 0f,
                _model.Parameters.PivotDampingNewtonMeterSecondsPerRadian);
        }
    }
}
