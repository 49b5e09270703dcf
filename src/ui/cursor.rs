//! A locked-down kiosk shows no mouse cursor: citizens touch the screen,
//! and an arrow left in the middle of it only confuses. The wrapper asks
//! for a hidden cursor wherever it is and otherwise stays out of the way.

use iced::Element;

use super::wrap::Wrap;

/// `content` with the cursor hidden over it.
pub fn hidden<'a, Message: Clone + 'a, Theme: 'a, Renderer: iced::advanced::Renderer + 'a>(
    content: impl Into<Element<'a, Message, Theme, Renderer>>,
) -> Element<'a, Message, Theme, Renderer> {
    Wrap::new(content).hide_cursor().into()
}

// iced's null renderer, which these tests lay out with, exists only with
// debug assertions (not under `cargo bench`'s optimised profile).
#[cfg(all(test, debug_assertions))]
mod tests {
    use super::*;
    use iced::advanced::widget::Tree;
    use iced::advanced::{Layout, layout, mouse};
    use iced::{Point, Rectangle, Size};

    #[test]
    fn over_a_button_the_cursor_is_hidden_not_a_pointer() {
        let button = || -> Element<'static, (), iced::Theme, ()> {
            iced::widget::button(iced::widget::Space::new())
                .on_press(())
                .width(100)
                .height(100)
                .into()
        };
        let interaction = |mut el: Element<'static, (), iced::Theme, ()>| {
            let mut tree = Tree::new(&el);
            let node = el.as_widget_mut().layout(
                &mut tree,
                &(),
                &layout::Limits::new(Size::ZERO, Size::new(100.0, 100.0)),
            );
            let cursor = mouse::Cursor::Available(Point::new(50.0, 50.0));
            let viewport = Rectangle::with_size(Size::new(100.0, 100.0));
            el.as_widget()
                .mouse_interaction(&tree, Layout::new(&node), cursor, &viewport, &())
        };
        assert_eq!(interaction(button()), mouse::Interaction::Pointer);
        assert_eq!(interaction(hidden(button())), mouse::Interaction::Hidden);
        // The same wrapper pressed by Enter leaves the cursor alone.
        let entered = Wrap::new(button()).on_enter(()).into();
        assert_eq!(interaction(entered), mouse::Interaction::Pointer);
    }
}
