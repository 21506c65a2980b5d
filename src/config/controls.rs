//! Every control and panel of the page that a link can hide (`<name>_hide=true`, TensorFlow
//! Playground's keys) or lock (`<name>_lock=true`: shown, not changeable), as one table. The hash
//! parser accepts exactly these names, and the classroom panel (`components::classroom`) lists
//! them in this order, grouped by area. The field table's hide names (`fields::Field::hide`) are
//! names of this table; a test checks that none is missing.

/// One control or panel an instructor can hide or lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Control {
    /// The name in `<name>_hide` and `<name>_lock` (TensorFlow Playground's where it has one).
    pub name: &'static str,
    /// What the classroom panel calls it.
    pub label: &'static str,
    /// The part of the page it sits in, a heading of the classroom panel.
    pub area: &'static str,
    /// Whether `<name>_lock` means something: the help buttons only open notes, so they can be
    /// hidden but not locked.
    pub lockable: bool,
}

const fn control(area: &'static str, name: &'static str, label: &'static str) -> Control {
    Control {
        name,
        label,
        area,
        lockable: true,
    }
}

const fn hide_only(control: Control) -> Control {
    Control {
        lockable: false,
        ..control
    }
}

const RUN: &str = "Run";
const HYPER: &str = "Hyper-parameters";
const DATA: &str = "Data";
const NETWORK: &str = "Network";
const OUTPUT: &str = "Output and curves";
const INSIDE: &str = "Inside the network";
const PAGE: &str = "Page";

/// The table, in the page's order.
pub const CONTROLS: &[Control] = &[
    control(RUN, "playButton", "Play / pause (Space)"),
    control(RUN, "stepButton", "Step epoch (S) and step batch (B)"),
    control(RUN, "resetButton", "Reset (R)"),
    control(RUN, "newWeightsButton", "New weights"),
    control(RUN, "speed", "Speed"),
    control(HYPER, "learningRate", "Learning rate"),
    control(HYPER, "activation", "Activation (shared and per layer)"),
    control(HYPER, "regularization", "Regularization"),
    control(HYPER, "regularizationRate", "Regularization rate"),
    control(HYPER, "problem", "Problem type"),
    control(HYPER, "optimizer", "Optimizer"),
    control(HYPER, "momentum", "Momentum"),
    control(
        HYPER,
        "optimizerParams",
        "Optimizer settings (beta1, beta2, rho, epsilon)",
    ),
    control(HYPER, "lrSchedule", "Learning-rate schedule"),
    control(HYPER, "earlyStop", "Early stopping"),
    control(HYPER, "loss", "Loss"),
    control(HYPER, "init", "Initialization (shared and per layer)"),
    control(HYPER, "dropout", "Dropout"),
    control(HYPER, "freeze", "Freeze layer (per layer)"),
    control(
        HYPER,
        "steps",
        "Step construction (universal approximation)",
    ),
    control(HYPER, "backend", "Backend"),
    control(DATA, "dataset", "Dataset picker"),
    control(DATA, "percTrainData", "Training data share"),
    control(DATA, "percValData", "Validation share"),
    control(DATA, "noise", "Noise"),
    control(DATA, "batchSize", "Batch size"),
    control(DATA, "samples", "Samples"),
    control(DATA, "regenerateButton", "Regenerate"),
    control(NETWORK, "features", "Input features"),
    control(
        NETWORK,
        "numHiddenLayers",
        "Layers and neurons (+ and − buttons)",
    ),
    control(NETWORK, "weightEditing", "Editing a weight or bias"),
    control(OUTPUT, "showTestData", "Show test data"),
    control(OUTPUT, "discretize", "Discretize output"),
    control(OUTPUT, "lossChart", "Loss chart"),
    control(OUTPUT, "logScale", "Log scale of the loss chart"),
    control(OUTPUT, "saveArea", "Save (download, open, start over)"),
    control(OUTPUT, "exportArea", "Export"),
    control(INSIDE, "layerChoices", "Per-layer pickers"),
    control(INSIDE, "twoClassOutput", "Output units for two classes"),
    control(INSIDE, "hiddenPanel", "Hidden layers panel"),
    control(INSIDE, "activationPanel", "Activation functions panel"),
    control(INSIDE, "leakyReluAlpha", "Leaky ReLU alpha"),
    control(INSIDE, "eluAlpha", "ELU alpha"),
    control(INSIDE, "healthPanel", "Network health panel"),
    control(INSIDE, "confusionPanel", "Confusion matrix panel"),
    control(INSIDE, "rocPanel", "ROC curve panel"),
    control(INSIDE, "summaryPanel", "Model summary panel"),
    control(
        PAGE,
        "lessonNav",
        "Lesson navigation (tasks, next lesson, gallery)",
    ),
    hide_only(control(PAGE, "help", "Help (?) buttons")),
    control(PAGE, "classroom", "This classroom panel's button"),
];

/// The control named `name`.
pub fn find(name: &str) -> Option<&'static Control> {
    CONTROLS.iter().find(|c| c.name == name)
}

/// Every name `<name>_lock=true` accepts.
pub fn lock_names() -> Vec<&'static str> {
    CONTROLS
        .iter()
        .filter(|c| c.lockable)
        .map(|c| c.name)
        .collect()
}

/// The table's areas in order, each once.
pub fn areas() -> Vec<&'static str> {
    let mut areas: Vec<&'static str> = Vec::new();
    for c in CONTROLS {
        if !areas.contains(&c.area) {
            areas.push(c.area);
        }
    }
    areas
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::fields::FIELDS;

    #[test]
    fn names_are_unique_and_cover_every_field_control() {
        for (i, c) in CONTROLS.iter().enumerate() {
            assert!(
                !CONTROLS[..i].iter().any(|d| d.name == c.name),
                "{} twice",
                c.name
            );
            assert!(
                c.name.chars().all(|ch| ch.is_ascii_alphanumeric()),
                "{}: a name goes into a hash key",
                c.name
            );
        }
        for f in FIELDS {
            if let Some(h) = f.hide {
                assert!(
                    find(h).is_some(),
                    "{}'s control {h} is not in CONTROLS",
                    f.key
                );
            }
        }
        // Areas come in runs, so the classroom panel's headings each appear once.
        let runs = CONTROLS
            .windows(2)
            .filter(|w| w[0].area != w[1].area)
            .count()
            + 1;
        assert_eq!(runs, areas().len());
    }
}
