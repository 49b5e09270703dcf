//! A locked-down kiosk shows no mouse cursor: citizens touch the screen,
//! and an arrow left in the middle of it only confuses. The wrapper asks
//! for a hidden cursor wherever it is and otherwise stays out of the way.

use iced::advanced::widget::{Operation, Tree, tree};
use iced::advanced::{Clipboard, Layout, Shell, Widget, layout, mouse, overlay, renderer};
use iced::{Element, Event, Length, Rectangle, Size, Vector};

pub struct Hidden<'a, Message, Theme, Renderer> {
    content: Element<'a, Message, Theme, Renderer>,
}

/// `content` with the cursor hidden over it.
pub fn hidden<'a, Message: 'a, Theme: 'a, Renderer: iced::advanced::Renderer + 'a>(
    content: impl Into<Element<'a, Message, Theme, Renderer>>,
) -> Element<'a, Message, Theme, Renderer> {
    Element::new(Hidden {
        content: content.into(),
    })
}

impl<Message, Theme, Renderer: iced::advanced::Renderer> Widget<Message, Theme, Renderer>
    for Hidden<'_, Message, Theme, Renderer>
{
    fn size(&self) -> Size<Length> {
        self.content.as_widget().size()
    }

    fn size_hint(&self) -> Size<Length> {
        self.content.as_widget().size_hint()
    }

    fn layout(&mut self, tree: &mut Tree, renderer: &Renderer, limits: &layout::Limits) -> layout::Node {
        self.content.as_widget_mut().layout(tree, renderer, limits)
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut Renderer,
        theme: &Theme,
        style: &renderer::Style,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        self.content
            .as_widget()
            .draw(tree, renderer, theme, style, layout, cursor, viewport)
    }

    fn tag(&self) -> tree::Tag {
        self.content.as_widget().tag()
    }

    fn state(&self) -> tree::State {
        self.content.as_widget().state()
    }

    fn children(&self) -> Vec<Tree> {
        self.content.as_widget().children()
    }

    fn diff(&self, tree: &mut Tree) {
        self.content.as_widget().diff(tree)
    }

    fn operate(&mut self, tree: &mut Tree, layout: Layout<'_>, renderer: &Renderer, operation: &mut dyn Operation) {
        self.content.as_widget_mut().operate(tree, layout, renderer, operation)
    }

    fn update(
        &mut self,
        tree: &mut Tree,
        event: &Event,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        renderer: &Renderer,
        clipboard: &mut dyn Clipboard,
        shell: &mut Shell<'_, Message>,
        viewport: &Rectangle,
    ) {
        self.content
            .as_widget_mut()
            .update(tree, event, layout, cursor, renderer, clipboard, shell, viewport)
    }

    fn mouse_interaction(
        &self,
        _tree: &Tree,
        _layout: Layout<'_>,
        _cursor: mouse::Cursor,
        _viewport: &Rectangle,
        _renderer: &Renderer,
    ) -> mouse::Interaction {
        mouse::Interaction::Hidden
    }

    fn overlay<'b>(
        &'b mut self,
        tree: &'b mut Tree,
        layout: Layout<'b>,
        renderer: &Renderer,
        viewport: &Rectangle,
        translation: Vector,
    ) -> Option<overlay::Element<'b, Message, Theme, Renderer>> {
        self.content
            .as_widget_mut()
            .overlay(tree, layout, renderer, viewport, translation)
    }
}

// iced's null renderer, which these tests lay out with, exists only with
// debug assertions (not under `cargo bench`'s optimised profile).
#[cfg(all(test, debug_assertions))]
mod tests {
    use super::*;
    use iced::Point;

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
    }
}
