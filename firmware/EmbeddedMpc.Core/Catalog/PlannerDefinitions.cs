using EmbeddedMpc.Core.Planning;

namespace EmbeddedMpc.Core.Catalog
{
    /// <summary>
    /// The built-in planners, each defined here once. Every method returns a new definition (callers may
    /// change its sizes). The simulator lists them all (`--planner NAME`); the firmware runs one of them
    /// (its <c>FirmwareSettings.Planner</c>).
    /// </summary>
    public static class PlannerDefinitions
    {
        /// <summary>The swing-up grid of the CEM planners: 40 model steps of 20 ms (0.8 s), one action each.</summary>
        private const int CemHorizonSteps = 40;

        /// <summary>The planner model's step of the CEM planners, s.</summary>
        private const float CemModelStepSeconds = 0.02f;

        /// <summary>The grid of the budget planners: 30 model steps of 40 ms (1.2 s of look-ahead).</summary>
        private const int BudgetHorizonSteps = 30;

        /// <summary>The planner model's step of the budget planners, s.</summary>
        private const float BudgetModelStepSeconds = 0.04f;

        /// <summary>Model steps per knot of the budget planners that sample: 11 linear knots over 30 steps.</summary>
        private const int BudgetStepsPerKnot = 3;

        /// <summary>All built-in planners, in the order the simulator lists them. A new array of new definitions per call.</summary>
        public static PlannerDefinition[] All()
        {
            return new PlannerDefinition[]
            {
                Cem(), Shooting(), CemPets(), EnergyLqr(), CemLqr(), CemLqrEsp32(), ImprovedCem(), ImprovedCemDm(), ImprovedCemRobust(),
                IterativeLqr(), ImprovedCemIterativeLqr(), Mppi(), ImprovedCemEsp32(), ImprovedCemEsp32Adaptive(), Mcts(),
                IterativeLqrTenMilliseconds(),
            };
        }

        /// <summary>"cem": CEM, 24 samples x 3 iterations, 4 elites, horizon 40 x 20 ms, best sample; the planner balances too.</summary>
        public static PlannerDefinition Cem()
        {
            return CemOn(new PlannerDefinition("cem", "CEM (diagonal Gaussian, best sample) on the task's cost", PlannerKind.Cem));
        }

        /// <summary>"shooting": random shooting, 200 uniform sequences of 40 x 20 ms.</summary>
        public static PlannerDefinition Shooting()
        {
            return new PlannerDefinition("shooting", "random shooting: uniform sequences plus the warm start", PlannerKind.RandomShooting)
            {
                Samples = 200,
                HorizonSteps = CemHorizonSteps,
                ModelStepSeconds = CemModelStepSeconds,
            };
        }

        /// <summary>"cem-pets": vanilla CEM with PETS's budget: 400 samples x 5 iterations, 40 elites, horizon 25 x 40 ms, the mean as the plan.</summary>
        public static PlannerDefinition CemPets()
        {
            return new PlannerDefinition("cem-pets", "vanilla CEM with PETS's budget, the final mean as the plan", PlannerKind.Cem)
            {
                Samples = 400,
                Iterations = 5,
                Elites = 40,
                HorizonSteps = 25,
                ModelStepSeconds = BudgetModelStepSeconds,
                Result = CemResult.Mean,
            };
        }

        /// <summary>"energy-lqr": the baseline, energy pumping (Astrom and Furuta) with the balance LQR's catch; no model steps.</summary>
        public static PlannerDefinition EnergyLqr()
        {
            return new PlannerDefinition("energy-lqr",
                "baseline: energy-pumping swing-up (Astrom-Furuta) with an LQR catch, no model steps", PlannerKind.EnergySwingUp)
            {
                Balance = BalancePolicy.Lqr,
            };
        }

        /// <summary>"cem-lqr": <see cref="Cem"/>'s swing-up, the balance LQR in Balance.</summary>
        public static PlannerDefinition CemLqr()
        {
            PlannerDefinition definition = CemOn(new PlannerDefinition("cem-lqr", "CEM swing-up (as cem) with the LQR taking over in Balance", PlannerKind.Cem));
            definition.Balance = BalancePolicy.Lqr;
            return definition;
        }

        /// <summary>
        /// "cem-lqr-esp32": <see cref="CemLqr"/> at sizes an ESP32 might afford: 8 samples x 2 iterations,
        /// 2 elites over 40 x 20 ms, i.e. 640 model steps per planning tick and none while the LQR balances.
        /// </summary>
        public static PlannerDefinition CemLqrEsp32()
        {
            var definition = new PlannerDefinition("cem-lqr-esp32", "cem-lqr at the ESP32 firmware's sizes", PlannerKind.Cem)
            {
                Samples = 8,
                Iterations = 2,
                Elites = 2,
                HorizonSteps = CemHorizonSteps,
                ModelStepSeconds = CemModelStepSeconds,
                Balance = BalancePolicy.Lqr,
            };
            return definition;
        }

        /// <summary>
        /// "icem": iCEM within 300 model steps per tick: 4 samples x 2 iterations, 2 elites (with the kept
        /// elites and the mean, 10 rollouts) of 30 x 40 ms over 11 linear knots; the swing-up cost with
        /// energy term and LQR terminal value; the balance LQR.
        /// </summary>
        public static PlannerDefinition ImprovedCem()
        {
            PlannerDefinition definition = ImprovedCemOn(new PlannerDefinition("icem",
                "iCEM (coloured noise, kept elites) on the swing-up cost with energy term and LQR terminal value; LQR balance", PlannerKind.ImprovedCem));
            definition.Cost = PlanningCost.TaskWithTerminalValue;
            definition.Balance = BalancePolicy.Lqr;
            return definition;
        }

        /// <summary>"icem-dm": <see cref="ImprovedCem"/> planning on the dm_control reward itself, with the reward's LQR.</summary>
        public static PlannerDefinition ImprovedCemDm()
        {
            return ImprovedCemOnReward(new PlannerDefinition("icem-dm", "as icem, planning on the dm_control reward itself (1 - r per step)", PlannerKind.ImprovedCem));
        }

        /// <summary>
        /// "icem-robust": <see cref="ImprovedCemDm"/>; the simulator scores each plan by its mean cost over the
        /// nominal model and sampled models (expected-return planning, its particles).
        /// </summary>
        public static PlannerDefinition ImprovedCemRobust()
        {
            return ImprovedCemOnReward(new PlannerDefinition("icem-robust",
                "as icem-dm, scoring each plan by its mean cost over sampled models (expected return)", PlannerKind.ImprovedCem));
        }

        /// <summary>"ilqr": 2 iLQR rounds per tick over 30 x 40 ms (one action per model step), dm_control reward, reward LQR.</summary>
        public static PlannerDefinition IterativeLqr()
        {
            return OnRewardGrid(new PlannerDefinition("ilqr",
                "iLQR trajectory optimization, analytic model derivatives; dm_control reward, LQR terminal value and balance", PlannerKind.IterativeLqr)
            {
                Iterations = 2,
                StepsPerKnot = 1,
            });
        }

        /// <summary>
        /// "icem-ilqr": one iCEM iteration (4 samples and the shifted plan over 30 x 40 ms, one action per
        /// model step) finds the basin, two iLQR rounds refine its best sequence each tick.
        /// </summary>
        public static PlannerDefinition ImprovedCemIterativeLqr()
        {
            // Measured on esp32-rig, seeds 1..10: 2 iCEM iterations + 1 iLQR round 20 % success, 2 + 2 60 %,
            // 1 + 2 100 %: the local optimizer, not more sampling, is what makes the catch precise enough for
            // the short track.
            return OnRewardGrid(new PlannerDefinition("icem-ilqr",
                "hybrid: iCEM finds the basin, iLQR rounds refine its best sequence each tick", PlannerKind.ImprovedCemThenIterativeLqr)
            {
                Samples = 4,
                Iterations = 1,
                Elites = 2,
                RefineIterations = 2,
                StepsPerKnot = 1,
            });
        }

        /// <summary>"mppi": MPPI within 300 model steps per tick: the plan + 9 perturbations of 30 x 40 ms over 11 knots, dm_control reward, reward LQR.</summary>
        public static PlannerDefinition Mppi()
        {
            return OnRewardGrid(new PlannerDefinition("mppi",
                "MPPI (path-integral weighting); dm_control reward, LQR terminal value and balance", PlannerKind.Mppi)
            {
                Samples = 9,
                Iterations = 1,
                StepsPerKnot = BudgetStepsPerKnot,
            });
        }

        /// <summary>
        /// "icem-esp32": the planner sized for the ESP32's interpreter (the firmware's on the rig with online adaptation,
        /// <see cref="ImprovedCemEsp32Adaptive"/>). iCEM on the
        /// dm_control reward with the reward LQR's cost-to-go as terminal value, planning 10 model steps of 80 ms
        /// (0.8 s ahead) with the action linear between 3 knots (every 5 steps); each tick one iteration scores
        /// the last tick's best sequence shifted by one period and 2 new samples (30 model steps; the mean is not
        /// added), and the best is executed: CEM's iterations spread over ticks by the warm start. The reward's
        /// LQR balances, after a catch check (<see cref="Control.CatchCheck"/>) has predicted that its catch keeps the
        /// cart on the track.
        /// </summary>
        /// <remarks>
        /// Chosen by measurement (host-sim `cost` and `bench`, firmware/EmbeddedMpc.Firmware/README.md): its
        /// largest tick counts some 26,600 to 27,100 IL instructions, 80 to 82 % of the 16 ms planning budget of a
        /// 20 ms tick at the slow end of the ESP32 estimate; 80 ms steps of the semi-implicit Euler model still swing up the
        /// rig, 100 ms steps no longer do. The mean as a fourth rollout would take the tick over the budget.
        /// </remarks>
        public static PlannerDefinition ImprovedCemEsp32()
        {
            var definition = new PlannerDefinition("icem-esp32",
                "iCEM sized for the ESP32 interpreter's 16 ms planning budget: the shifted best sequence and 2 samples of 10 x 80 ms per tick, 3 knots; dm_control reward, LQR terminal value and balance",
                PlannerKind.ImprovedCem)
            {
                Cost = PlanningCost.DmControlRewardWithTerminalValue,
                Balance = BalancePolicy.DmControlRewardLqr,
                Samples = 2,
                Iterations = 1,
                Elites = 1,
                HorizonSteps = 10,
                ModelStepSeconds = 0.08f,
                StepsPerKnot = 5,
                AddMeanInLastIteration = false,
                CatchCheck = new Control.CatchCheckSettings(),
            };
            return definition;
        }

        /// <summary>
        /// "icem-esp32-adapt": <see cref="ImprovedCemEsp32"/> whose model adapts online to the measured motion
        /// (recursive least squares on the filtered equations of motion, <see cref="Adaptation.OnlineModelAdaptation"/>,
        /// default <see cref="Adaptation.AdaptationSettings"/>): the simulator's default and the firmware's planner on
        /// the rig.
        /// </summary>
        /// <remarks>
        /// Chosen by measurement (host-sim BENCH.md, "Online model adaptation" and "Breakaway and the catch check
        /// together"): its largest tick counts at most some 29,500 IL instructions, 89 % of the planning budget; on the
        /// ideal plant it swings up every seed of 100 with an exact model and at ±20 % mismatch (icem-esp32: 43 %).
        /// </remarks>
        public static PlannerDefinition ImprovedCemEsp32Adaptive()
        {
            PlannerDefinition adaptive = ImprovedCemEsp32().CopyAs("icem-esp32-adapt",
                "icem-esp32 with online adaptation of its model (recursive least squares on the measured motion)");
            adaptive.Adaptation = new Adaptation.AdaptationSettings();
            return adaptive;
        }

        /// <summary>
        /// "mcts": UCT within 300 model steps per tick: 5 command levels, a tree of 6 decisions of 2 x 40 ms
        /// kept between ticks, random rollouts of 4 x 40 ms, dm_control reward, reward LQR.
        /// </summary>
        public static PlannerDefinition Mcts()
        {
            var tree = new MctsSettings
            {
                // Tuned on dm-control seeds 1..10 and checked on 11..30: 5 levels beat 3 and 7, short random
                // rollouts beat none and long ones (the terminal value carries the rest).
                ActionLevels = 5,
                StepsPerDecision = 2,
                TreeDepth = 6,
                RolloutSteps = 4,
                RolloutHoldSteps = 2,
                RolloutPolicy = MctsRolloutPolicy.RandomWithHold,
                ExplorationConstant = 0.7f,
                // The model-step budget binds, not the iteration cap (iterations are 4 to 6 model steps each).
                IterationsPerTick = 1000,
                ModelStepBudgetPerTick = 300,
            };
            PlannerDefinition definition = OnRewardGrid(new PlannerDefinition("mcts",
                "MCTS (UCT) over command levels, tree kept between ticks, random rollouts; dm_control reward, LQR terminal value and balance", PlannerKind.Mcts));
            definition.Tree = tree;
            // The rollout's horizon is only reported: the tree's depth plus the rollout, in model steps.
            definition.HorizonSteps = tree.StepsPerDecision * tree.TreeDepth + tree.RolloutSteps;
            definition.StepsPerKnot = 1;
            return definition;
        }

        /// <summary>
        /// "ilqr-10ms": iLQR on the dm_control environment's own 10 ms step: each tick one round over 100 steps
        /// of 10 ms (1 s ahead, one action per step) that tries at most 2 forward passes, so at most 3 rollouts,
        /// 300 model steps; exact derivatives of the dm_control reward; the first plan pushes at full force;
        /// the reward's LQR terminal value and balance.
        /// </summary>
        /// <remarks>
        /// Measured on MuJoCo (host-sim/BENCH.md): with 40 ms model steps the semi-implicit Euler model's swing
        /// misses upright by about 0.5 rad and the catch costs some 12 points of return; 20 ms halves that, 10 ms
        /// matches the plant. From rest at the bottom a plan of zeros has no gradient to either side and iLQR
        /// dithered there for up to 0.3 s; the pushing first plan removes that (either direction serves: -1
        /// measured within a point of +1). Horizons of 0.8 to 1.2 s at 20 ms: 1 s was best.
        /// </remarks>
        public static PlannerDefinition IterativeLqrTenMilliseconds()
        {
            PlannerDefinition definition = IterativeLqr().CopyAs("ilqr-10ms",
                "iLQR on the environment's 10 ms step: 1 round of at most 3 rollouts of 100 x 10 ms per tick, exact reward derivatives, a pushing first plan; dm_control reward, LQR terminal value and balance");
            definition.HorizonSteps = 100;
            definition.ModelStepSeconds = 0.01f;
            definition.Iterations = 1;
            definition.LineSearchSteps = 2;
            definition.ExactCostDerivatives = true;
            definition.InitialAction = 1f;
            return definition;
        }

        private static PlannerDefinition CemOn(PlannerDefinition definition)
        {
            definition.Samples = 24;
            definition.Iterations = 3;
            definition.Elites = 4;
            definition.HorizonSteps = CemHorizonSteps;
            definition.ModelStepSeconds = CemModelStepSeconds;
            return definition;
        }

        private static PlannerDefinition ImprovedCemOn(PlannerDefinition definition)
        {
            definition.Samples = 4;
            definition.Iterations = 2;
            definition.Elites = 2;
            definition.HorizonSteps = BudgetHorizonSteps;
            definition.ModelStepSeconds = BudgetModelStepSeconds;
            definition.StepsPerKnot = BudgetStepsPerKnot;
            return definition;
        }

        private static PlannerDefinition ImprovedCemOnReward(PlannerDefinition definition)
        {
            ImprovedCemOn(definition);
            definition.Cost = PlanningCost.DmControlRewardWithTerminalValue;
            definition.Balance = BalancePolicy.DmControlRewardLqr;
            return definition;
        }

        private static PlannerDefinition OnRewardGrid(PlannerDefinition definition)
        {
            definition.HorizonSteps = BudgetHorizonSteps;
            definition.ModelStepSeconds = BudgetModelStepSeconds;
            definition.Cost = PlanningCost.DmControlRewardWithTerminalValue;
            definition.Balance = BalancePolicy.DmControlRewardLqr;
            return definition;
        }
    }
}
