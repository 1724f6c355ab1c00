package org.admap.score.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CostBudgetTest {

    @Test
    void requestsAreAdmittedWhileTheirSumStaysWithinTheLimit() {
        CostBudget budget = new CostBudget(1.0);
        assertThat(budget.admit(0.4)).isTrue();
        assertThat(budget.admit(0.6)).isTrue(); // exactly the limit
        assertThat(budget.admit(0.01)).isFalse();
    }

    @Test
    void aRefusedRequestReservesNothing() {
        CostBudget budget = new CostBudget(1.0);
        assertThat(budget.admit(0.7)).isTrue();
        assertThat(budget.admit(0.5)).isFalse();
        assertThat(budget.admit(0.3)).isTrue();
    }

    @Test
    void noLimitAdmitsEverything() {
        CostBudget budget = new CostBudget(Double.NaN);
        for (int i = 0; i < 1000; i++) {
            assertThat(budget.admit(1e6)).isTrue();
        }
    }
}
