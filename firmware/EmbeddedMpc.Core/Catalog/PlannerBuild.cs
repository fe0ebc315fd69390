using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Costs;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Policies;

namespace EmbeddedMpc.Core.Catalog
{
    /// <summary>
    /// One build of <see cref="ControllerFactory.BuildPlanner(PlannerDefinition, RigProfile, CartPoleParameters, bool, IRolloutEvaluatorSource)"/>:
    /// the planner's model (one, shared by its rollouts and LQRs), cost and grid, and one method per
    /// <see cref="PlannerKind"/> that wires the optimizer to them.
    /// </summary>
    internal sealed class PlannerBuild
    {
        private readonly PlannerDefinition _definition;
        private readonly RigProfile _profile;
        private readonly CartPoleParameters _parameters;
        private readonly CartPoleModel _model;
        private readonly bool _swingUpTask;
        private readonly IRolloutEvaluatorSource _evaluators;
        private LinearQuadraticRegulator _balanceRegulator; // the balance policy's LQR, once built; null for a planner that balances itself

        public PlannerBuild(PlannerDefinition definition, RigProfile profile, CartPoleParameters plannerParameters, bool swingUpTask, IRolloutEvaluatorSource evaluators)
        {
            _definition = definition;
            _profile = profile;
            _parameters = plannerParameters.Clone();
            _model = new CartPoleModel(_parameters);
            _swingUpTask = swingUpTask;
            _evaluators = evaluators;
        }

        /// <summary>
        /// Adds the definition's catch check (<see cref="Control.CatchCheck"/>) on the hand-over to the balance LQR to
        /// <paramref name="policies"/>, predicting with the planner's model.
        /// </summary>
        /// <exception cref="System.ArgumentException">The definition asks for a catch check but balances with the planner itself.</exception>
        public PlannerPolicies WithCatchCheck(PlannerPolicies policies)
        {
            if (_definition.CatchCheck == null || !_swingUpTask)
            {
                return policies;
            }

            if (_balanceRegulator == null)
            {
                throw new System.ArgumentException("A catch check needs an LQR balance policy; the planner balances itself.", "CatchCheck");
            }

            policies.CatchCheck = new Control.CatchCheck(_model, _balanceRegulator, _profile.CopyMotor(), _profile.ControlPeriodSeconds,
                _parameters.TrackHalfLengthMeters, _definition.CatchCheck);
            return policies;
        }

        /// <summary>
        /// Adds the definition's online adaptation of the planner's model (the one model shared by its rollouts;
        /// the LQR gains and terminal values computed at start-up stay as they are) to <paramref name="policies"/>.
        /// </summary>
        public PlannerPolicies WithAdaptation(PlannerPolicies policies)
        {
            if (_definition.Adaptation != null)
            {
                policies.Adaptation = new Adaptation.OnlineModelAdaptation(_model, _profile.CopyMotor(), _profile.ControlPeriodSeconds, _definition.Adaptation);
            }

            return policies;
        }

        public PlannerPolicies RandomShooting()
        {
            ICost cost = TaskCost();
            CartPoleRollout rollout = Rollout(cost);
            IRolloutEvaluator evaluator = Evaluator(rollout, cost);
            var settings = new RandomShootingSettings { Samples = _definition.Samples, Horizon = rollout.KnotCount, Seed = _definition.Seed };
            var controller = new RecedingHorizonController(new RandomShootingOptimizer(settings, evaluator), evaluator, rollout.KnotsPerControlPeriod);
            // One draw of sequences per tick, all of them kept as "elites" for the best: reported as 1 and 1.
            return Sized(controller, controller, settings.Samples, rollout, 1, 1, evaluator);
        }

        public PlannerPolicies Cem()
        {
            ICost cost = TaskCost();
            CartPoleRollout rollout = Rollout(cost);
            IRolloutEvaluator evaluator = Evaluator(rollout, cost);
            var settings = new CemSettings
            {
                Samples = _definition.Samples,
                Horizon = rollout.KnotCount,
                Iterations = _definition.Iterations,
                Elites = _definition.Elites,
                Result = _definition.Result,
                Seed = _definition.Seed,
            };
            var controller = new RecedingHorizonController(new CemOptimizer(settings, evaluator), evaluator, rollout.KnotsPerControlPeriod);
            return Sized(controller, BalanceOr(controller), settings.Samples, rollout, settings.Iterations, settings.Elites, evaluator);
        }

        public PlannerPolicies ImprovedCem()
        {
            ICost cost = PlanningCost();
            CartPoleRollout rollout = Rollout(cost);
            IRolloutEvaluator evaluator = Evaluator(rollout, cost);
            ImprovedCemSettings settings = ImprovedCemSettings(rollout);
            var controller = new RecedingHorizonController(new ImprovedCemOptimizer(settings, evaluator), evaluator, rollout.KnotsPerControlPeriod);
            return Sized(controller, BalanceOr(controller), settings.Samples, rollout, settings.Iterations, settings.Elites, evaluator);
        }

        public PlannerPolicies Mppi()
        {
            ICost cost = PlanningCost();
            CartPoleRollout rollout = Rollout(cost);
            IRolloutEvaluator evaluator = Evaluator(rollout, cost);
            var settings = new MppiSettings
            {
                Samples = _definition.Samples,
                Horizon = rollout.KnotCount,
                Iterations = _definition.Iterations,
                Seed = _definition.Seed,
            };
            var controller = new RecedingHorizonController(new MppiOptimizer(settings, evaluator), evaluator, rollout.KnotsPerControlPeriod);
            return Sized(controller, BalanceOr(controller), settings.Samples, rollout, settings.Iterations, 0, evaluator);
        }

        public PlannerPolicies IterativeLqr()
        {
            CartPoleRollout rollout = Rollout(PlanningCost());
            IterativeLqrSettings settings = IterativeLqrSettings(rollout, _definition.Iterations);
            RecedingHorizonController controller = StartingFromInitialAction(new RecedingHorizonController(new IterativeLqrOptimizer(settings, rollout), rollout, rollout.KnotsPerControlPeriod));
            return Sized(controller, BalanceOr(controller), 0, rollout, settings.Iterations, 0, rollout);
        }

        public PlannerPolicies ImprovedCemThenIterativeLqr()
        {
            CartPoleRollout rollout = Rollout(PlanningCost());
            ImprovedCemSettings sampling = ImprovedCemSettings(rollout);
            IterativeLqrSettings refining = IterativeLqrSettings(rollout, _definition.RefineIterations);
            var optimizer = new SampleThenRefineOptimizer(new ImprovedCemOptimizer(sampling, rollout), new IterativeLqrOptimizer(refining, rollout));
            RecedingHorizonController controller = StartingFromInitialAction(new RecedingHorizonController(optimizer, rollout, rollout.KnotsPerControlPeriod));
            return Sized(controller, BalanceOr(controller), sampling.Samples, rollout, sampling.Iterations, sampling.Elites, rollout);
        }

        public PlannerPolicies Mcts()
        {
            Validation.RequireNotNull(_definition.Tree, "Tree");
            MctsSettings settings = PlannerDefinition.CopyTree(_definition.Tree);
            settings.Seed = _definition.Seed;
            CartPoleRollout rollout = Rollout(PlanningCost());
            IPolicy defaultPolicy = settings.RolloutPolicy == MctsRolloutPolicy.DefaultPolicy ? EnergySwingUpPolicy() : null;
            var mcts = new MctsOptimizer(settings, rollout, defaultPolicy);
            var controller = new RecedingHorizonController(mcts, rollout, 1f / mcts.TicksPerDecision);
            PlannerPolicies policies = Sized(controller, BalanceOr(controller), 0, rollout, 0, 0, rollout);
            policies.Knots = settings.TreeDepth;
            return policies;
        }

        public PlannerPolicies EnergySwingUp()
        {
            IPolicy swingUp = EnergySwingUpPolicy();
            IPolicy balance = BalanceOr(swingUp);
            // A balance task starts near upright: the catch from the first tick.
            return new PlannerPolicies(_swingUpTask ? swingUp : balance, balance);
        }

        private EnergySwingUpPolicy EnergySwingUpPolicy()
        {
            float movingMass = _parameters.CartMassKilograms + _parameters.PoleMassKilograms;
            float maxAcceleration = ControllerFactory.EnergyAccelerationFraction * _parameters.MaxForceNewtons / movingMass;
            return new EnergySwingUpPolicy(_model, _profile.CopyMotor(), ControllerFactory.EnergyGain, maxAcceleration,
                ControllerFactory.EnergyPositionGain, ControllerFactory.EnergyVelocityGain);
        }

        private IterativeLqrSettings IterativeLqrSettings(CartPoleRollout rollout, int iterations)
        {
            return new IterativeLqrSettings
            {
                Horizon = rollout.KnotCount,
                Iterations = iterations,
                LineSearchSteps = _definition.LineSearchSteps,
                UseExactCostDerivatives = _definition.ExactCostDerivatives,
            };
        }

        /// <summary><paramref name="controller"/> with the definition's first plan; throws ArgumentException if InitialAction is outside [-1, 1].</summary>
        private RecedingHorizonController StartingFromInitialAction(RecedingHorizonController controller)
        {
            Validation.RequireInRange(_definition.InitialAction, -1f, 1f, "InitialAction");
            controller.InitialAction = _definition.InitialAction;
            return controller;
        }

        private ImprovedCemSettings ImprovedCemSettings(CartPoleRollout rollout)
        {
            return new ImprovedCemSettings
            {
                Samples = _definition.Samples,
                Horizon = rollout.KnotCount,
                Iterations = _definition.Iterations,
                Elites = _definition.Elites,
                KnotsPerTick = rollout.KnotsPerControlPeriod,
                AddMeanInLastIteration = _definition.AddMeanInLastIteration,
                Seed = _definition.Seed,
            };
        }

        /// <summary>The task's own cost: swing-up or balance.</summary>
        private ICost TaskCost()
        {
            float track = _parameters.TrackHalfLengthMeters;
            return _swingUpTask ? new SwingUpCost(new SwingUpCostSettings(), track) : (ICost)new BalanceCost(new BalanceCostSettings(), track);
        }

        /// <summary>The cost of <see cref="PlannerDefinition.Cost"/>.</summary>
        private ICost PlanningCost()
        {
            if (_definition.Cost == Catalog.PlanningCost.Task)
            {
                return TaskCost();
            }

            if (!_swingUpTask)
            {
                return new LqrTerminalCost(TaskCost(), SwingUpTerminalLqr(), 1f);
            }

            if (_definition.Cost == Catalog.PlanningCost.DmControlRewardWithTerminalValue)
            {
                // No energy term here: it measured no better with one.
                return new LqrTerminalCost(new DmControlRewardCost(_parameters.TrackHalfLengthMeters), DmControlRewardLqr(), 1f);
            }

            return new LqrTerminalCost(new EnergyTerminalCost(TaskCost(), _parameters, ControllerFactory.EnergyTerminalWeight), SwingUpTerminalLqr(), 1f);
        }

        private LinearQuadraticRegulator SwingUpTerminalLqr()
        {
            return ControllerFactory.SwingUpTerminalLqr(_model, _profile.CopyMotor(), _profile.ControlPeriodSeconds);
        }

        private LinearQuadraticRegulator DmControlRewardLqr()
        {
            return ControllerFactory.DmControlRewardLqr(_model, _profile.CopyMotor(), _profile.ControlPeriodSeconds);
        }

        /// <summary>The Balance mode's policy of <see cref="PlannerDefinition.Balance"/>: an LQR, or <paramref name="planner"/> itself.</summary>
        private IPolicy BalanceOr(IPolicy planner)
        {
            switch (_definition.Balance)
            {
                case BalancePolicy.Lqr:
                    _balanceRegulator = ControllerFactory.BalanceLqr(_model, _profile.CopyMotor(), _profile.ControlPeriodSeconds);
                    return new LqrPolicy(_balanceRegulator);
                case BalancePolicy.DmControlRewardLqr:
                    _balanceRegulator = DmControlRewardLqr();
                    return new LqrPolicy(_balanceRegulator);
                default: return planner;
            }
        }

        /// <summary>The rollout of the definition's grid with <paramref name="cost"/>.</summary>
        private CartPoleRollout Rollout(ICost cost)
        {
            return new CartPoleRollout(_model, cost, Grid(), _profile.CopyMotor());
        }

        private RolloutSettings Grid()
        {
            return new RolloutSettings
            {
                ControlPeriodSeconds = _profile.ControlPeriodSeconds,
                ModelStepSeconds = _definition.ModelStepSeconds,
                HorizonSteps = _definition.HorizonSteps,
                StepsPerKnot = _definition.StepsPerKnot,
            };
        }

        /// <summary>What a sampling planner scores with: <paramref name="rollout"/> (of <paramref name="cost"/>), or the evaluator source's replacement.</summary>
        private IRolloutEvaluator Evaluator(CartPoleRollout rollout, ICost cost)
        {
            return _evaluators == null ? rollout : _evaluators.Evaluator(rollout, cost, Grid());
        }

        private PlannerPolicies Sized(IPolicy swingUp, IPolicy balance, int samples, CartPoleRollout rollout, int iterations, int elites, IRolloutEvaluator evaluator)
        {
            var expected = evaluator as ExpectedCostEvaluator;
            return new PlannerPolicies(swingUp, balance)
            {
                Samples = samples,
                HorizonSteps = rollout.HorizonSteps,
                Iterations = iterations,
                Elites = elites,
                Knots = rollout.KnotCount,
                ModelStepSeconds = _definition.ModelStepSeconds,
                Particles = expected == null ? 1 : expected.ParticleCount,
            };
        }
    }
}
