/** @odoo-module */
// Copyright 2026 Dealer Loyalty Suite
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {onWillRender} from "@odoo/owl";
import {useService} from "@web/core/utils/hooks";
import {SIZES} from "@web/core/ui/ui_service";
import {patch} from "@web/core/utils/patch";
import {getModifier} from "@web/views/view_compiler";
import {ButtonBox} from "@web/views/form/button_box/button_box";
import {FormCompiler} from "@web/views/form/form_compiler";

// A smart button with this class stays in the button box on a wide screen:
// Odoo folds all but the first four buttons into "More", and on a customer the
// service desk needs its six at a glance. Other buttons fill what room is left.
export const PINNED_CLASS = "o_dealer_pinned";

patch(FormCompiler.prototype, {
    compileButtonBox(el, params) {
        // The children Odoo makes slots of, in the same order; read before
        // compiling, which takes the class off the buttons.
        const pinned = [...el.children]
            .filter(
                (child) =>
                    params.compileInvisibleNodes ||
                    !["True", "1"].includes(getModifier(child, "invisible"))
            )
            .map((child) => child.classList.contains(PINNED_CLASS));
        const buttonBox = super.compileButtonBox(el, params);
        if (buttonBox?.nodeName === "ButtonBox") {
            [...buttonBox.children].forEach((slot, index) => {
                if (pinned[index]) {
                    slot.setAttribute("pinned", "true");
                }
            });
        }
        return buttonBox;
    },
});

patch(ButtonBox.prototype, {
    setup() {
        const ui = useService("ui");
        // Owl runs the last registered onWillRender first: registered before
        // Odoo's, this one runs after Odoo's split of the buttons. It only
        // redoes the split when a pinned button went to "More" on a screen
        // wide enough for the row.
        onWillRender(() => {
            const isPinned = (slotName) => Boolean(this.props.slots[slotName].pinned);
            if (ui.size < SIZES.XL || !this.additionalButtons.some(isPinned)) {
                return;
            }
            const buttons = [...this.visibleButtons, ...this.additionalButtons];
            // The others fill the places Odoo gives that the pinned ones leave.
            const pinnedCount = buttons.filter(isPinned).length;
            let room = Math.max(this.visibleButtons.length - pinnedCount, 0);
            const shown = new Set(
                buttons.filter((slotName) => isPinned(slotName) || room-- > 0)
            );
            this.visibleButtons = buttons.filter((slotName) => shown.has(slotName));
            this.additionalButtons = buttons.filter((slotName) => !shown.has(slotName));
            this.isFull = true;
        });
        super.setup();
    },
});
