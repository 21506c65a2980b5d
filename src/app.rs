//! The page shell: header and the four working areas (data, network, output, charts).

use yew::prelude::*;

use crate::components::activation_chart::ActivationChart;
use crate::components::backend_badge::BackendBadge;

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <div class="app" data-testid="app">
            <header class="app-header">
                <h1 class="app-title">{ "Neural Playground" }</h1>
                <span class="app-subtitle">{ "Build, train and look inside neural networks" }</span>
                <BackendBadge />
            </header>
            <main class="workspace">
                <section class="area area-data" data-testid="area-data" aria-label="Data">
                    <h2>{ "Data" }</h2>
                </section>
                <section class="area area-network" data-testid="area-network" aria-label="Network">
                    <h2>{ "Network" }</h2>
                </section>
                <section class="area area-output" data-testid="area-output" aria-label="Output">
                    <h2>{ "Output" }</h2>
                </section>
                <section class="area area-charts" data-testid="area-charts" aria-label="Charts">
                    <h2>{ "Charts" }</h2>
                    <ActivationChart />
                </section>
            </main>
        </div>
    }
}
